#!/bin/sh
# Does what upstream's test/core resource-configure-1.sh does: checks the status the previous pipeline left, then
# writes the request's Namespace for worker-1.
set -e
spec_value() { sed -n "/^spec:/,/^[^ ]/s/^  $1: *//p" /kratix/input/object.yaml | head -1 | tr -d '"'; }
stage="$(sed -n '/^status:/,/^[^ ]/s/^  stage: *//p' /kratix/input/object.yaml | head -1)"
if [ "$stage" != "one" ]; then
  echo "unexpected status: $stage; expected one"
  exit 1
fi
namespaceName="$(spec_value namespaceName)"
cat > /kratix/output/namespace.yaml <<YAML
apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: null
  name: ${namespaceName}
spec: {}
status: {}
YAML
cat > /kratix/metadata/destination-selectors.yaml <<YAML
- matchLabels: {target: worker-1}
YAML
cat > /kratix/metadata/status.yaml <<YAML
stage: two
completed: true
YAML
