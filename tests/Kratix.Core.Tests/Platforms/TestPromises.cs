namespace Kratix.Tests.Platforms;

/// <summary>Small Promises written for these tests, shaped like upstream's samples.</summary>
public static class TestPromises
{
    public const string WithDependencies = """
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: redis
          labels:
            kratix.io/promise-version: v1.0.0
        spec:
          destinationSelectors:
          - matchLabels:
              environment: dev
          dependencies:
          - apiVersion: v1
            kind: Namespace
            metadata:
              name: redis-operator
          - kind: ConfigMap
            apiVersion: v1
            metadata:
              namespace: redis-operator
              name: settings
            data:
              enabled: "true"
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: redis.marketplace.kratix.io
            spec:
              group: marketplace.kratix.io
              names:
                kind: redis
                plural: redis
                singular: redis
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size:
                            type: string
                            enum: [small, large]
                            default: small
                          replicas:
                            type: integer
                            minimum: 1
                            maximum: 5
                        required: [replicas]
        """;

    public const string WithWorkflows = """
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: app
        spec:
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: apps.example.kratix.io
            spec:
              group: example.kratix.io
              names:
                kind: App
                plural: apps
                singular: app
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
          workflows:
            resource:
              configure:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata:
                  name: instance
                spec:
                  containers:
                  - name: main
                    image: example/app-pipeline:v1
        """;

    public const string RedisRequest = """
        apiVersion: marketplace.kratix.io/v1alpha1
        kind: redis
        metadata:
          name: example
          namespace: default
        spec:
          replicas: 2
        """;

    /// <summary>A Promise with only static dependencies (one ConfigMap) for Destinations labelled environment=dev.</summary>
    public static string DependenciesPromise(string name, string value) => $"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: {name}
        spec:
          destinationSelectors:
          - matchLabels:
              environment: dev
          dependencies:
          - apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}-settings
              namespace: default
            data:
              value: {value}
        """;

    /// <summary>The static dependencies file of <see cref="DependenciesPromise"/>, byte for byte (keys sorted as yaml.v2 writes them).</summary>
    public static string Dependencies(string name, string value) =>
        $"apiVersion: v1\ndata:\n  value: {value}\nkind: ConfigMap\nmetadata:\n  name: {name}-settings\n  namespace: default\n";
}
