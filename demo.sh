#!/usr/bin/env bash
# Runs the wsauth browser demo: builds what it needs (JDK 17 + Maven), then serves http://localhost:8000
# and the WebSocket servers on 8001-8006, bound to localhost only. Ctrl-C stops every server.
# Extra arguments go to the demo, e.g. ./demo.sh --base-port=9000
set -euo pipefail
cd "$(dirname "$0")"
echo "Building the demo (first run downloads the dependencies)..."
mvn -B -q -pl examples -am package -DskipTests
exec java -jar examples/target/wsauth-demo.jar "$@"
