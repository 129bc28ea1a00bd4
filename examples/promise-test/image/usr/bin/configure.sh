#!/bin/sh
# The App Promise's resource.configure pipeline: reads the request from /kratix/input/object.yaml and writes a
# Deployment (and a Service when spec.expose is true) to /kratix/output, and the app's URL to /kratix/metadata/status.yaml.
set -eu

# A top-level field of the request's spec, as Kratix writes object.yaml (two-space indents, plain scalars).
spec_value() {
  awk -v key="$1" '
    /^[^ ]/ { in_spec = ($0 == "spec:"); next }
    in_spec && index($0, "  " key ": ") == 1 { value = substr($0, length(key) + 5); gsub(/^"|"$/, "", value); print value; exit }
  ' /kratix/input/object.yaml
}

name="$KRATIX_OBJECT_NAME"
namespace="$KRATIX_OBJECT_NAMESPACE"
image=$(spec_value image)
replicas=$(spec_value replicas)
expose=$(spec_value expose)

cat > /kratix/output/deployment.yaml <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $name
  namespace: $namespace
spec:
  replicas: $replicas
  selector:
    matchLabels:
      app: $name
  template:
    metadata:
      labels:
        app: $name
    spec:
      containers:
      - name: app
        image: $image
YAML

if [ "$expose" = "true" ]; then
  cat > /kratix/output/service.yaml <<YAML
apiVersion: v1
kind: Service
metadata:
  name: $name
  namespace: $namespace
spec:
  selector:
    app: $name
  ports:
  - port: 80
YAML
  url="http://$name.$namespace.svc"
else
  url="none"
fi

cat > /kratix/metadata/status.yaml <<YAML
url: $url
replicas: $replicas
YAML

echo "rendered $name ($image, $replicas replicas, exposed: $expose)"
