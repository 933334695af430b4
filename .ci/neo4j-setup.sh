#!/usr/bin/env bash
# Prepare the test-only Neo4j server (no Docker, no tarball): resolve Neo4j Community
# from Maven Central into tests/neo4j/lib/ and compile tests/neo4j's launcher into
# tests/neo4j/target/classes/. Idempotent: a fast no-op when both are up to date.
#
#   bash .ci/neo4j-setup.sh        # from anywhere; CI calls it from the repo root before pytest
#
# Needs: java + javac (17+), and mvn only when the artifacts must be (re)resolved.
# Extra Maven arguments (e.g. -o for offline) can be passed in SOVMAP_MVN_ARGS.
# tests/neo4j_server.py runs this script itself before starting a server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N4J="$ROOT/tests/neo4j"
POM="$N4J/pom.xml"
LIB="$N4J/lib"
TARGET="$N4J/target"
CLASSES="$TARGET/classes"
SRC="$N4J/src/main/java/sovmap/neo4j/Launcher.java"
CLASS="$CLASSES/sovmap/neo4j/Launcher.class"
STAMP="$LIB/.resolved-pom-sha256"

die() { echo "neo4j-setup: ERROR: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || die "java not found on PATH (need a JDK 17+)"

mkdir -p "$TARGET"
# Serialise concurrent callers (e.g. several pytest workers starting at once).
exec 9>"$TARGET/.setup.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

pom_sum="$(sha256sum "$POM" | cut -d' ' -f1)"

# 1. Maven artifacts: re-resolve when lib/ is missing or pom.xml changed since the last resolve.
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$pom_sum" ]; then
    command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH and $LIB is missing or stale"
    echo "neo4j-setup: resolving Neo4j artifacts from Maven Central into tests/neo4j/lib ..." >&2
    start=$(date +%s)
    rm -rf "$LIB.tmp"
    # -Dstyle.color=never and -B keep Maven's messages plain; jansi.noreset stops Maven 3.8's console
    # library from printing bare colour-reset codes (ESC[0m) when it exits.
    # shellcheck disable=SC2086
    if ! MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -q -B -Dstyle.color=never -f "$POM" ${SOVMAP_MVN_ARGS:-} dependency:copy-dependencies \
            -DoutputDirectory="$LIB.tmp" -DincludeScope=runtime; then
        rm -rf "$LIB.tmp"
        die "Maven could not resolve the Neo4j artifacts (see the output above)"
    fi
    ls "$LIB.tmp"/neo4j-5.*.jar >/dev/null 2>&1 || die "resolved artifacts lack neo4j-5.*.jar"
    rm -rf "$LIB"
    mv "$LIB.tmp" "$LIB"
    echo "$pom_sum" > "$STAMP"
    rm -f "$CLASS" # force a recompile against the new jars
    echo "neo4j-setup: resolved $(ls "$LIB"/*.jar | wc -l) jars in $(( $(date +%s) - start ))s" >&2
fi

# 2. Compile the launcher when its class is missing or older than the source.
if [ ! -f "$CLASS" ] || [ "$SRC" -nt "$CLASS" ]; then
    command -v javac >/dev/null 2>&1 || die "javac not found on PATH (need a JDK 17+, not just a JRE)"
    echo "neo4j-setup: compiling the launcher ..." >&2
    rm -rf "$CLASSES.tmp"
    mkdir -p "$CLASSES.tmp"
    javac --release 17 -encoding UTF-8 -cp "$LIB/*" -d "$CLASSES.tmp" "$SRC" \
        || { rm -rf "$CLASSES.tmp"; die "javac failed on $SRC"; }
    rm -rf "$CLASSES"
    mv "$CLASSES.tmp" "$CLASSES"
fi

echo "neo4j-setup: ready (tests/neo4j/lib + tests/neo4j/target/classes)" >&2
