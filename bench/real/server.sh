# Sourced by bench/real.sh and bench/real-ab.sh, after they set work (the
# work folder): the cleanup of the work folder and of the chart server, and
# start_server, which starts tools/benchreal (built into $work/benchreal)
# with its arguments: it fills itself, rewrites the copies, writes its
# address into $work/ready and its certificate into $work/cert.pem, and
# serves until cleanup kills it.
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-}" = 1 ]; then echo "work folder: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

start_server() {
  "$work/benchreal" -ready "$work/ready" -cert "$work/cert.pem" "$@" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 600); do
    [ -s "$work/ready" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -s "$work/ready" ] || { echo "the chart server did not start" >&2; exit 1; }
}
