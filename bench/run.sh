#!/usr/bin/env bash
# Benchmarks the gateway against the fake upstream it fronts. One command:
#   bench/run.sh                 # full run: Tomcat 10.1, HTTP/1.1 upstream, ~7 minutes on 2 cores
#   BENCH_OPTS="-Dbench.container=jetty" bench/run.sh                 # embedded Jetty 12
#   BENCH_OPTS="-Dbench.container=tomcat10-debian" bench/run.sh       # Debian's packaged Tomcat 10.1
#   BENCH_OPTS="-Dbench.rounds=3 -Dbench.streams=2000" bench/run.sh   # quicker, smaller
# Builds the WAR (skipping tests) and the bench, unpacks the container distributions the integration
# tests use, starts everything on 127.0.0.1, writes bench/results/latest*.md and prints it. Needs java 17,
# mvn and wrk, and nginx for the peer column (both installed with apt-get if missing), redis-server for
# the redis variant.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

if ! command -v wrk >/dev/null 2>&1; then
  echo "[bench] installing wrk"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
# The peer column: nginx in front of the same upstream. The bench runs it as its own child process
# (own config, port and pid file); a system nginx the package may start listens on :80 and is left
# alone. Without nginx the bench still runs and reports the peer as not available.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "[bench] installing nginx-light"
  { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; } \
    || echo "[bench] could not install nginx; the peer column will say not available"
fi

echo "[bench] building the WAR and the benchmark"
mvn -B -q -f "$root/pom.xml" package -DskipTests
mvn -B -q -f "$here/pom.xml" package
if [[ "${BENCH_OPTS:-}" != *"bench.container=jetty"* ]]; then
  echo "[bench] unpacking the Tomcat distributions the integration tests use"
  mvn -B -q -f "$root/pom.xml" dependency:unpack@unpack-containers
fi
# Debian's packaged Tomcat 10.1, installed as .ci/run installs it for the integration tests (jars in
# /usr/share/tomcat10, configuration templates in /usr/share/tomcat10/etc); the system Tomcat the package may
# start is stopped: the bench runs its own on its own ports.
if [[ "${BENCH_OPTS:-}" == *"bench.container=tomcat10-debian"* ]] && [ ! -f /usr/share/tomcat10/etc/server.xml ]; then
  echo "[bench] installing Debian's tomcat10"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends tomcat10 >/dev/null
  (systemctl stop tomcat10 || service tomcat10 stop || true) >/dev/null 2>&1
fi

mkdir -p "$here/results"
exec java -Xms2g -Xmx2g -XX:+UseG1GC -XX:+AlwaysPreTouch \
  -cp "$here/target/classes:$here/target/lib/*" \
  ${BENCH_OPTS:-} \
  dev.llmproxy.bench.Bench "$root/target/llm-proxy.war" "$here/results"
