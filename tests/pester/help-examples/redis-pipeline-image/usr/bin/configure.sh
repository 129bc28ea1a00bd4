#!/bin/sh
# The Redis Promise's resource.configure pipeline (the image ghcr.io/acme/redis-pipeline:v1, entrypoint
# /usr/bin/configure.sh): renders the request in /kratix/input/object.yaml into a ConfigMap and a Deployment in
# /kratix/output, and reports the endpoint in /kratix/metadata/status.yaml.
set -eu

spec_value() {
  awk -v key="$1" '
    /^[^ ]/ { in_spec = ($0 == "spec:"); next }
    in_spec && index($0, "  " key ": ") == 1 { value = substr($0, length(key) + 5); gsub(/^"|"$/, "", value); print value; exit }
  ' /kratix/input/object.yaml
}

name="$KRATIX_OBJECT_NAME"
namespace="$KRATIX_OBJECT_NAMESPACE"
size=$(spec_value size)
replicas=$(spec_value replicas)
memory=256Mi
[ "$size" = "large" ] && memory=2Gi

cat > /kratix/output/redis.yaml <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: $name-redis
  namespace: $namespace
data:
  maxmemory: $memory
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $name-redis
  namespace: $namespace
spec:
  replicas: $replicas
  selector:
    matchLabels:
      app: $name-redis
  template:
    metadata:
      labels:
        app: $name-redis
    spec:
      containers:
      - name: redis
        image: redis:7.2
YAML

cat > /kratix/metadata/status.yaml <<YAML
endpoint: $name-redis.$namespace.svc:6379
YAML

echo "rendered $name ($size, $replicas replicas)"
