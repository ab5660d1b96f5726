# Sourced by ./showcase, compare/run and compare/load (after .mvn/jdk25.sh): builds
# target/loom-showcase.jar (and target/libs/) when it is missing or older than the sources.
jar=target/loom-showcase.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]; then
  echo "Building loom-showcase (the first build downloads its dependencies)..." >&2
  ./mvnw -q -B package -DskipTests
fi
