# Sourced by the tools/device/*-run.sh scripts: unpacks BUNDLE_DIR/bundle.tar.xz into /tmp/bundle
# (the device machine has no JDK, the bundle carries a jlinked one) and sets out (results, $OUT)
# and work (/tmp/NAME, scratch such as synth checkpoints, kept while the machine stays warm).
# Usage: . bundle-env.sh BUNDLE_DIR NAME
bundle_here=$(cd "${1:?bundle-env.sh: BUNDLE_DIR}" && pwd)
out=${OUT:-/tmp/out}
work=/tmp/${2:?bundle-env.sh: NAME}
mkdir -p "$out" "$work"
# NOTE: always afresh: a machine still warm from an earlier call may hold another bundle (another
# script's, or an older build of this one), and reusing its runtime ran the old jar.
rm -rf /tmp/bundle
python3 -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall('/tmp')" "$bundle_here/bundle.tar.xz"
