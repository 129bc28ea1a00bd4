#!/bin/sh
# Does what upstream's test/core resource-configure-0.sh does: one ConfigMap per directory, each directory scheduled
# to its own Destination, and a status for the next pipeline.
set -e
spec_value() { sed -n "/^spec:/,/^[^ ]/s/^  $1: *//p" /kratix/input/object.yaml | head -1 | tr -d '"'; }
configMapName="$(spec_value configMapName)"
stamp="$(date +%s)-$(cut -c1-8 /proc/sys/kernel/random/uuid)"
mkdir -p /kratix/output/dest1 /kratix/output/dest2
for n in 1 2; do
cat > /kratix/output/dest$n/configmap.yaml <<YAML
apiVersion: v1
data:
  timestamp: "${stamp}"
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: ${configMapName}-$n
  namespace: testbundle-ns
YAML
done
cat > /kratix/metadata/destination-selectors.yaml <<YAML
- directory: dest1
  matchLabels: {target: worker-1}
- directory: dest2
  matchLabels: {target: worker-2}
YAML
cat > /kratix/metadata/status.yaml <<YAML
stage: one
YAML
