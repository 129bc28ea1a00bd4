using Kratix.Pipelines;
using static Kratix.Core.Tests.Pipelines.PipelineTestData;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// A Pipeline container as a Pod would run it: upstream puts the Kratix variables first in the container's env and the
/// user's env after them (api/v1alpha1/pipeline_factory.go: Env = kratixEnvVars + c.Env, EnvFrom = c.EnvFrom); the
/// kubelet resolves envFrom first and lets env override it, expands $(VAR) from what is defined before, and keeps
/// command and args unset when they are unset.
/// </summary>
public class ContainerSpecReaderTests
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> Kratix =
    [
        new("KRATIX_WORKFLOW_ACTION", "configure"),
        new("KRATIX_WORKFLOW_TYPE", "resource"),
        new("KRATIX_PROMISE_NAME", "redis"),
        new("KRATIX_PIPELINE_NAME", "instance"),
        new("KRATIX_OBJECT_NAME", "example"),
    ];

    private const string SecretValue = "s3cr3t-do-not-print";

    private static ValueSources Sources() => new(
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["settings"] = new Dictionary<string, string> { ["LOG_LEVEL"] = "debug", ["REGION"] = "eu", ["KRATIX_PROMISE_NAME"] = "from-configmap" },
        },
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["db"] = new Dictionary<string, string> { ["password"] = SecretValue, ["user"] = "admin" },
        });

    private static (ContainerSpec Spec, IReadOnlyList<KeyValuePair<string, string>> Environment) Read(string containerYaml, ValueSources? sources = null) =>
        ContainerSpecReader.Read(Pipeline("instance"), Yaml(containerYaml), Kratix, sources ?? Sources());

    private static string? Env(IReadOnlyList<KeyValuePair<string, string>> environment, string name)
    {
        var matches = environment.Where(kv => kv.Key == name).ToList();
        Assert.True(matches.Count <= 1, $"{name} appears {matches.Count} times");
        return matches.Count == 0 ? null : matches[0].Value;
    }

    [Fact]
    public void Name_image_and_workingDir_are_read()
    {
        var (spec, _) = Read("name: main\nimage: example/app:v1\nworkingDir: /work\n");

        Assert.Equal("main", spec.Name);
        Assert.Equal("example/app:v1", spec.Image);
        Assert.Equal("/work", spec.WorkingDir);
        Assert.Equal(ContainerLimits.None, spec.Limits);
    }

    [Fact]
    public void Unset_command_and_args_stay_null()
    {
        var (spec, _) = Read("name: main\nimage: i\n");

        Assert.Null(spec.Command);
        Assert.Null(spec.Args);
    }

    [Fact]
    public void Empty_command_and_args_stay_empty_not_null()
    {
        var (spec, _) = Read("name: main\nimage: i\ncommand: []\nargs: []\n");

        Assert.NotNull(spec.Command);
        Assert.Empty(spec.Command);
        Assert.NotNull(spec.Args);
        Assert.Empty(spec.Args);
    }

    [Fact]
    public void Command_and_args_are_kept_in_order()
    {
        var (spec, _) = Read("name: main\nimage: i\ncommand: [/bin/sh, -c]\nargs: [\"echo hi\", 42]\n");

        Assert.Equal(["/bin/sh", "-c"], spec.Command!);
        Assert.Equal(["echo hi", "42"], spec.Args!);
    }

    [Fact]
    public void The_Kratix_variables_come_first_then_the_users_env()
    {
        var (_, environment) = Read("name: main\nimage: i\nenv:\n- {name: FIRST, value: one}\n- {name: SECOND, value: two}\n", ValueSources.None);

        Assert.Equal([.. Kratix.Select(kv => kv.Key), "FIRST", "SECOND"], environment.Select(kv => kv.Key));
        Assert.Equal("redis", Env(environment, "KRATIX_PROMISE_NAME"));
        Assert.Equal("one", Env(environment, "FIRST"));
    }

    [Fact]
    public void A_users_env_entry_overrides_a_Kratix_variable_and_a_later_entry_overrides_an_earlier_one()
    {
        var (_, environment) = Read("""
            name: main
            image: i
            env:
            - {name: KRATIX_PROMISE_NAME, value: mine}
            - {name: X, value: first}
            - {name: X, value: second}
            """, ValueSources.None);

        Assert.Equal("mine", Env(environment, "KRATIX_PROMISE_NAME"));
        Assert.Equal("second", Env(environment, "X"));
    }

    [Fact]
    public void EnvFrom_adds_every_key_and_env_overrides_it()
    {
        var (_, environment) = Read("""
            name: main
            image: i
            envFrom:
            - configMapRef: {name: settings}
            - secretRef: {name: db}
              prefix: DB_
            env:
            - {name: REGION, value: us}
            """);

        Assert.Equal("debug", Env(environment, "LOG_LEVEL"));
        Assert.Equal("us", Env(environment, "REGION"));
        Assert.Equal(SecretValue, Env(environment, "DB_password"));
        Assert.Equal("admin", Env(environment, "DB_user"));
    }

    [Fact]
    public void A_later_envFrom_source_overrides_an_earlier_one()
    {
        var sources = new ValueSources(
            new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["first"] = new Dictionary<string, string> { ["SHARED"] = "first", ["ONLY_FIRST"] = "1" },
                ["second"] = new Dictionary<string, string> { ["SHARED"] = "second" },
            },
            new Dictionary<string, IReadOnlyDictionary<string, string>>());

        var (_, environment) = Read("name: main\nimage: i\nenvFrom:\n- configMapRef: {name: first}\n- configMapRef: {name: second}\n", sources);

        Assert.Equal("second", Env(environment, "SHARED"));
        Assert.Equal("1", Env(environment, "ONLY_FIRST"));
    }

    [Fact]
    public void EnvFrom_does_not_override_the_Kratix_variables()
    {
        // The Kratix variables are in the container's env, which the kubelet applies after envFrom.
        var (_, environment) = Read("name: main\nimage: i\nenvFrom:\n- configMapRef: {name: settings}\n");

        Assert.Equal("redis", Env(environment, "KRATIX_PROMISE_NAME"));
        Assert.Equal("eu", Env(environment, "REGION"));
    }

    [Fact]
    public void Env_values_expand_variables_defined_before_them_including_the_Kratix_ones()
    {
        var (_, environment) = Read("""
            name: main
            image: i
            envFrom:
            - configMapRef: {name: settings}
            env:
            - {name: GREETING, value: "hello $(KRATIX_OBJECT_NAME) in $(REGION)"}
            - {name: FULL, value: "$(GREETING)!"}
            - {name: TOO_EARLY, value: "$(LATER)"}
            - {name: LATER, value: late}
            """);

        Assert.Equal("hello example in eu", Env(environment, "GREETING"));
        Assert.Equal("hello example in eu!", Env(environment, "FULL"));
        Assert.Equal("$(LATER)", Env(environment, "TOO_EARLY"));
    }

    [Fact]
    public void Command_and_args_expand_from_the_final_environment()
    {
        var (spec, _) = Read("""
            name: main
            image: i
            command: ["/bin/$(SHELL_NAME)"]
            args: ["$(KRATIX_PROMISE_NAME)-$(KRATIX_PIPELINE_NAME)", "$(UNDEFINED)", "$$(KRATIX_PROMISE_NAME)", "cost: $$5", "$(", "a$b", "$"]
            env:
            - {name: SHELL_NAME, value: sh}
            """);

        Assert.Equal(["/bin/sh"], spec.Command!);
        Assert.Equal(["redis-instance", "$(UNDEFINED)", "$(KRATIX_PROMISE_NAME)", "cost: $5", "$(", "a$b", "$"], spec.Args!);
    }

    [Theory]
    [InlineData("no dollar", "no dollar")]
    [InlineData("$(A)$(B)", "12")]
    [InlineData("$$$(A)", "$1")]
    [InlineData("$$$$", "$$")]
    [InlineData("$(A", "$(A")]
    [InlineData("$(A$(B))", "$(A$(B))")]
    [InlineData("$(EMPTY)x", "x")]
    [InlineData("$()", "$()")]
    public void Expand_follows_Kubernetes_expansion(string input, string expected)
    {
        IReadOnlyList<KeyValuePair<string, string>> environment = [new("A", "1"), new("B", "2"), new("EMPTY", "")];

        Assert.Equal(expected, ContainerSpecReader.Expand(input, environment));
    }

    [Fact]
    public void ValueFrom_takes_keys_of_ConfigMaps_and_Secrets()
    {
        var (_, environment) = Read("""
            name: main
            image: i
            env:
            - name: LEVEL
              valueFrom:
                configMapKeyRef: {name: settings, key: LOG_LEVEL}
            - name: PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
            """);

        Assert.Equal("debug", Env(environment, "LEVEL"));
        Assert.Equal(SecretValue, Env(environment, "PASSWORD"));
    }

    [Theory]
    [InlineData("secretKeyRef: {name: db, key: passwd}", "Secret", "db")]
    [InlineData("secretKeyRef: {name: missing, key: password}", "Secret", "missing")]
    [InlineData("configMapKeyRef: {name: settings, key: NOPE}", "ConfigMap", "settings")]
    [InlineData("configMapKeyRef: {name: missing, key: LOG_LEVEL}", "ConfigMap", "missing")]
    public void A_missing_required_value_names_the_pipeline_container_and_variable_but_no_secret(string reference, string kind, string source)
    {
        var ex = Assert.Throws<KratixException>(() => Read($"name: main\nimage: i\nenv:\n- name: PASSWORD\n  valueFrom:\n    {reference}\n"));

        Assert.Equal("PipelineEnvUnresolvable", ex.ErrorId);
        Assert.Contains("instance", ex.Message, StringComparison.Ordinal);
        Assert.Contains("main", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PASSWORD", ex.Message, StringComparison.Ordinal);
        Assert.Contains(kind, ex.Message, StringComparison.Ordinal);
        Assert.Contains(source, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, ex.Target?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_envFrom_source_is_unresolvable()
    {
        var ex = Assert.Throws<KratixException>(() => Read("name: main\nimage: i\nenvFrom:\n- secretRef: {name: absent}\n"));

        Assert.Equal("PipelineEnvUnresolvable", ex.ErrorId);
        Assert.Contains("absent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("instance", ex.Message, StringComparison.Ordinal);
        Assert.Contains("main", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_references_that_are_missing_are_skipped()
    {
        var (_, environment) = Read("""
            name: main
            image: i
            envFrom:
            - configMapRef: {name: absent, optional: true}
            env:
            - name: A
              valueFrom:
                secretKeyRef: {name: db, key: nope, optional: true}
            - name: B
              valueFrom:
                configMapKeyRef: {name: absent, key: x, optional: true}
            - {name: C, value: c}
            """);

        Assert.Null(Env(environment, "A"));
        Assert.Null(Env(environment, "B"));
        Assert.Equal("c", Env(environment, "C"));
    }

    [Theory]
    [InlineData("fieldRef:\n      fieldPath: status.podIPs", "status.podIPs")]
    [InlineData("resourceFieldRef:\n      resource: limits.cpu", "resourceFieldRef")]
    public void Pod_values_a_local_run_does_not_have_are_unresolvable(string valueFrom, string what)
    {
        var ex = Assert.Throws<KratixException>(() => Read($"name: main\nimage: i\nenv:\n- name: POD_NAMESPACE\n  valueFrom:\n    {valueFrom}\n"));

        Assert.Equal("PipelineEnvUnresolvable", ex.ErrorId);
        Assert.Contains("POD_NAMESPACE", ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
        Assert.Contains("instance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_upstream_Pipeline_reads_its_namespace_from_the_pod_fields()
    {
        // namespaced-promise's resource delete pipeline reads POD_NAMESPACE from the Pod's metadata.
        var promise = UpstreamPromise("namespaced-promise", "namespaced-workflow-promise.yaml");
        var pipeline = promise.Workflows("resource", "delete").Single();
        var pod = ValueSources.None with { PodFields = new Dictionary<string, string> { ["metadata.namespace"] = "team-a" } };

        var (_, environment) = ContainerSpecReader.Read(pipeline, pipeline.Containers[0], Kratix, pod);

        Assert.Equal("team-a", environment.Single(kv => kv.Key == "POD_NAMESPACE").Value);
        var ex = Assert.Throws<KratixException>(() => ContainerSpecReader.Read(pipeline, pipeline.Containers[0], Kratix, ValueSources.None));
        Assert.Equal("PipelineEnvUnresolvable", ex.ErrorId);
        Assert.Contains("gen-configmap", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu: 200m", 0.2, null)]
    [InlineData("cpu: \"0.5\"", 0.5, null)]
    [InlineData("cpu: 2", 2.0, null)]
    [InlineData("memory: 256Mi", null, 268435456L)]
    [InlineData("memory: 1G", null, 1000000000L)]
    [InlineData("memory: 1Gi", null, 1073741824L)]
    [InlineData("memory: 128974848", null, 128974848L)]
    [InlineData("memory: 129e6", null, 129000000L)]
    [InlineData("memory: 123Ki", null, 125952L)]
    [InlineData("cpu: 100m\n    memory: 64Mi", 0.1, 67108864L)]
    public void Limits_are_Kubernetes_quantities(string limits, double? cpus, long? bytes)
    {
        var (spec, _) = Read($"name: main\nimage: i\nresources:\n  limits:\n    {limits}\n");

        if (cpus is null)
        {
            Assert.Null(spec.Limits.Cpus);
        }
        else
        {
            Assert.Equal(cpus.Value, spec.Limits.Cpus!.Value, 9);
        }

        Assert.Equal(bytes, spec.Limits.MemoryBytes);
    }

    [Fact]
    public void Requests_are_not_limits()
    {
        var (spec, _) = Read("name: main\nimage: i\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n");

        Assert.Equal(ContainerLimits.None, spec.Limits);
    }

    [Theory]
    [InlineData("cpu: lots")]
    [InlineData("memory: 1Mb")]
    [InlineData("memory: \"-1Gi\"")]
    [InlineData("memory: Mi")]
    public void A_bad_quantity_is_an_invalid_container(string limits)
    {
        var ex = Assert.Throws<KratixException>(() => Read($"name: main\nimage: i\nresources:\n  limits:\n    {limits}\n"));

        Assert.Equal("PipelineContainerInvalid", ex.ErrorId);
        Assert.Contains("instance", ex.Message, StringComparison.Ordinal);
        Assert.Contains("main", ex.Message, StringComparison.Ordinal);
    }
}
