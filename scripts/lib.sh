# Shared by the scripts: pick a JDK >= 21 and make sure the tools the build needs are present.
# Sourced, not run.

kapro_java_major() { # prints the feature version of the java binary in $1/bin
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

kapro_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    local v; v=$(kapro_java_major "$JAVA_HOME")
    if [ "${v:-0}" -ge 21 ]; then export JAVA_HOME; return 0; fi
    echo "kapro: JAVA_HOME=$JAVA_HOME is Java ${v:-?}; looking for a JDK >= 21 under /usr/lib/jvm" >&2
  fi
  local best="" bestv=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(kapro_java_major "$d")
    if [ "${v:-0}" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ "$bestv" -lt 21 ]; then
    echo "kapro: no JDK 21 or newer found (JAVA_HOME unset or too old, nothing >= 21 in /usr/lib/jvm)." >&2
    echo "kapro: install one (for example Temurin 25 into /usr/lib/jvm) or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME=$best
  echo "kapro: using JDK $bestv at $JAVA_HOME" >&2
}

kapro_ensure_registry() { # the CNCF distribution registry, for the OCI tests and the demo
  if command -v docker-registry >/dev/null 2>&1; then return 0; fi
  echo "kapro: installing the distribution registry (apt-get install docker-registry)" >&2
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2 && \
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      docker-registry apache2-utils >&2 || {
    echo "kapro: could not install docker-registry; OCI registry tests need it" >&2; return 1; }
}
