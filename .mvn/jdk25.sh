# Sourced by ./showcase and .ci/run: makes JAVA_HOME point at a JDK 25 or newer.
# Order: an existing JAVA_HOME, the java on PATH, then the usual install folders.
# Exits with a clear message when there is none.

java_feature_version() {
  # Prints the feature version (17, 21, 25, ...) of the java binary given, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

find_jdk25() {
  local candidate version
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(java_feature_version "$candidate/bin/java")
    if [ -n "$version" ] && [ "$version" -ge 25 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_jdk25); then
  echo "loom-showcase needs a JDK 25 (virtual-thread pinning behaviour of JEP 491, StructuredTaskScope of JEP 505)." >&2
  echo "None found in JAVA_HOME, on PATH or under /usr/lib/jvm. Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
