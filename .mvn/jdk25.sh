# Sourced by ./showcase, .ci/run and compare/: makes JAVA_HOME point at a JDK 25, exactly.
# Order: an existing JAVA_HOME, the java on PATH, then the usual install folders (or, when
# LOOM_JDK_FOLDERS is set, the folders it lists instead, space-separated, globs allowed).
# Exactly 25, not "25 or newer": the showcase is compiled for 25 with --enable-preview
# (StructuredTaskScope), and class files using preview features load only on the JDK release
# they were compiled for; the API changes again in JDK 26 (JEP 525) and 27 (JEP 533).
# Stops with one line when there is none, naming the JDKs it found instead.

java_feature_version() {
  # Prints the feature version (17, 21, 25, ...) of the java binary given, or nothing. From the
  # JDK's release file when it has one: starting a JVM per candidate costs a few hundred ms of
  # every ./showcase start. A JDK without one is asked itself.
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION=' "$release"; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1
}

find_jdk25() {
  local candidate version
  jdk25_others=()
  for candidate in ${JAVA_HOME:+"$JAVA_HOME"} \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      ${LOOM_JDK_FOLDERS:-/usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home}; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(java_feature_version "$candidate/bin/java")
    if [ "$version" = 25 ]; then
      echo "$candidate"
      return 0
    fi
    [ -z "$version" ] || [[ " ${jdk25_others[*]} " == *" at $candidate "* ]] || jdk25_others+=("JDK $version at $candidate")
  done
  return 1
}

jdk25_others=()
if ! JAVA_HOME=$(find_jdk25); then
  # find_jdk25 ran in a subshell: look again here for the list of the others.
  find_jdk25 > /dev/null || true
  if [ ${#jdk25_others[@]} -gt 0 ]; then
    found="found only $(IFS=';'; echo "${jdk25_others[*]}" | sed 's/;/, /g')"
  else
    found="found none in JAVA_HOME, on PATH or under /usr/lib/jvm"
  fi
  echo "loom-showcase needs exactly JDK 25 (its preview class files load only on 25; StructuredTaskScope changes in 26 and 27): $found. Set JAVA_HOME to a JDK 25 (e.g. Temurin 25)." >&2
  unset found
  exit 1
fi
unset jdk25_others
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
