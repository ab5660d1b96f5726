# Sourced by ./showcase after .mvn/jar.sh: the JDK's AOT cache for the showcase (JEP 483: classes
# loaded and linked ahead of time; JEP 514: made in one step with -XX:AOTCacheOutput; JEP 515: with
# the method profiles of the training run). Made once per build, by a training run of about 15 s
# (dev.loomshowcase.Training: a few bursts of every scenario on loopback), under server/target/.
# Never required: LOOM_AOT=off, a failed training or a cache made for another jar or JDK means a
# normal start, with one line saying why. Sets aot_options for the java command line.
aot=server/target/loom-showcase.aot
aot_stamp="$aot.jdk"
aot_options=()
jdk_stamp="$(grep JAVA_RUNTIME_VERSION "$JAVA_HOME/release" 2>/dev/null || echo unknown)"
aot_flags=(--enable-preview --enable-native-access=ALL-UNNAMED)
if [ "${LOOM_AOT:-on}" = off ]; then
  echo "AOT cache: off (LOOM_AOT=off); a normal start." >&2
else
  if [ ! -f "$aot" ] || [ "$jar" -nt "$aot" ] || [ "$(cat "$aot_stamp" 2>/dev/null)" != "$jdk_stamp" ]; then
    if [ -f "$aot" ]; then why="the jar or the JDK changed since it was made"; else why="none yet"; fi
    echo "AOT cache: $why; training it once for this build (about 15 s; LOOM_AOT=off skips it)..." >&2
    rm -f "$aot" "$aot_stamp"
    if timeout 90 "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$aot" -Xlog:aot*=off "${aot_flags[@]}" \
        -cp "$jar" dev.loomshowcase.Training > server/target/aot-training.log 2>&1 && [ -s "$aot" ]; then
      echo "$jdk_stamp" > "$aot_stamp"
    else
      echo "AOT cache: the training run failed (server/target/aot-training.log); a normal start." >&2
      rm -f "$aot"
    fi
  fi
  if [ -f "$aot" ]; then
    # -Xlog:aot*=off: JDK 25 warns about code stubs it does not reuse; the classes still come from the cache.
    aot_options=(-XX:AOTCache="$aot" -Xlog:aot*=off)
    echo "AOT cache: starting with $aot (classes loaded, linked and profiled ahead of time)." >&2
  fi
fi
