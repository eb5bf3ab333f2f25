#!/usr/bin/env bash
# One scheduled retrain, with its log kept. Run by cron (deploy/schedule/crontab) or systemd
# (review-rnn-retrain.timer). The exit code is retrain's: 0 promoted, 3 not promoted, 1 failed (including: another
# retrain holds the registry lock), 2 bad usage or config. The driver runs here (client mode) so that the exit
# code and the driver log are this process's; YARN cluster mode would reduce every outcome to SUCCEEDED/FAILED.
#
# Settings (environment; the systemd unit reads /etc/review-rnn/retrain.env, see retrain.env.example):
#   REVIEW_RNN_TARGET          yarn (default), standalone or local (the ./review-rnn launcher on this host)
#   REVIEW_RNN_RETRAIN_CONFIG  retrain config, local or hdfs:// (default: conf/retrain.yaml)
#   REVIEW_RNN_SUBMIT_ARGS     extra options for the submit script, e.g. "--principal p@R --keytab /k --queue ml"
#   REVIEW_RNN_LOG_DIR         run logs (default /var/log/review-rnn)
#   REVIEW_RNN_LOG_KEEP_DAYS   run logs older than this are deleted (default 30)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
target=${REVIEW_RNN_TARGET:-yarn}
config=${REVIEW_RNN_RETRAIN_CONFIG:-$ROOT/conf/retrain.yaml}
log_dir=${REVIEW_RNN_LOG_DIR:-/var/log/review-rnn}
keep_days=${REVIEW_RNN_LOG_KEEP_DAYS:-30}
read -r -a submit_args <<<"${REVIEW_RNN_SUBMIT_ARGS:-}"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$log_dir" || { echo "retrain: cannot create log directory $log_dir" >&2; exit 1; }
log="$log_dir/retrain-$stamp.log"

case $target in
  yarn) cmd=("$ROOT/deploy/yarn/submit.sh" --deploy-mode client ${submit_args[@]+"${submit_args[@]}"} --) ;;
  standalone) cmd=("$ROOT/deploy/standalone/submit.sh" ${submit_args[@]+"${submit_args[@]}"} --) ;;
  local) cmd=("$ROOT/review-rnn") ;;
  *) echo "retrain: REVIEW_RNN_TARGET must be yarn, standalone or local, was '$target'" >&2; exit 2 ;;
esac
cmd+=(retrain --config "$config")

echo "$(date -u +%FT%TZ) retrain starting on $(hostname): ${cmd[*]}" >"$log"
"${cmd[@]}" >>"$log" 2>&1
rc=$?
case $rc in
  0) outcome=promoted ;;
  3) outcome="not promoted" ;;
  2) outcome="bad usage or config" ;;
  *) outcome=failed ;;
esac
summary="$(date -u +%FT%TZ) retrain $stamp: exit $rc ($outcome), log $log"
echo "$summary" >>"$log"
echo "$summary" >>"$log_dir/retrain-history.log"
echo "$summary"
ln -sfn "$log" "$log_dir/retrain-latest.log"
find "$log_dir" -maxdepth 1 -name 'retrain-2*.log' -mtime +"$keep_days" -delete
exit "$rc"
