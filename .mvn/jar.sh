# Sourced by ./showcase, compare/run and compare/load (after .mvn/jdk25.sh): builds both modules,
# server/target/loom-showcase.jar and loadgen/target/loadgen.jar (each with its target/libs/), when
# either is missing or older than the poms or the sources.
jar=server/target/loom-showcase.jar
loadgen_jar=loadgen/target/loadgen.jar
stale_jar() {
  [ ! -f "$1" ] || [ -n "$(find pom.xml server/pom.xml loadgen/pom.xml server/src/main loadgen/src/main -newer "$1" -print -quit)" ]
}
if stale_jar "$jar" || stale_jar "$loadgen_jar"; then
  echo "Building loom-showcase (the first build downloads its dependencies)..." >&2
  ./mvnw -q -B package -DskipTests
fi
