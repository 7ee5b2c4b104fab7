# Sourced by ./podserve and .ci/run: sets JAVA_HOME to a JDK 25 or newer, or explains how to get one.
# Looks at JAVA_HOME first, then the usual install locations (Debian/Ubuntu packages and Temurin,
# /opt, SDKMAN, macOS), then the java on PATH.
podserve_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

podserve_find_jdk25() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /usr/lib/jvm/*-2[5-9]* \
               /opt/java/openjdk /opt/jdk-25* /opt/java/jdk-25* "$HOME"/.sdkman/candidates/java/25* \
               /Library/Java/JavaVirtualMachines/*25*/Contents/Home)
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] && [ "$(podserve_java_major "$c")" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "podserve needs JDK 25 or newer (for the Vector API and FFM); none was found." >&2
  echo "Install one (for example Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
