#!/bin/sh
# Does what upstream's test/core promise-configure.sh does, with sh and sed instead of kubectl:
# a Namespace and a ConfigMap as `kubectl create --dry-run=client -o yaml` prints them.
# The timestamp carries a random suffix: runs here take milliseconds, so seconds alone would not change between runs.
set -e
stamp="$(date +%s)-$(cut -c1-8 /proc/sys/kernel/random/uuid)"
cat > /kratix/output/namespace.yaml <<YAML
apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: null
  name: testbundle-ns
spec: {}
status: {}
YAML
cat > /kratix/output/configmap.yaml <<YAML
apiVersion: v1
data:
  promiseEnv: ${VALUE:-undefined}
  timestamp: "${stamp}"
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: testbundle-cm
  namespace: testbundle-ns
YAML
