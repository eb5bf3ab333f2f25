#!/usr/bin/env bash
# Submits a review-rnn command to Kubernetes in cluster mode: the driver and executors are pods running the image
# built from deploy/k8s/Dockerfile, which carries the job jar and conf/.
#
#   deploy/k8s/submit.sh --master k8s://https://api.example.com:6443 --image registry.example.com/review-rnn:0.1.0 \
#       [options] -- COMMAND [COMMAND OPTIONS]
#   deploy/k8s/submit.sh --master k8s://https://10.0.0.1:6443 --image r.example.com/review-rnn:0.1.0 \
#       --namespace ml --service-account spark -- score --model champion --registry hdfs:///models/rnn ...
#
# Options:
#   --master URL              k8s://https://host:port of the API server (default $SPARK_K8S_MASTER)
#   --image IMAGE             job image (default $REVIEW_RNN_IMAGE)
#   --namespace NS            namespace of the pods (default: default)
#   --service-account SA      service account the driver uses to create executor pods (default: spark)
#   --executors N             executor pods (default 2)
#   --principal P --keytab F  Kerberos for a secured HDFS (needs --krb5-conf too; Spark ships the keytab as a secret)
#   --krb5-conf FILE          krb5.conf mounted into the pods
#   --name N                  application name (default: review-rnn-COMMAND)
#   --conf K=V                extra Spark setting; wins over conf/spark-defaults.conf (repeatable)
#   any other spark-submit option goes to spark-submit as given, e.g. --driver-memory 4g, --executor-cores=2,
#                             --packages G:A:V, --verbose
# With HADOOP_CONF_DIR set, spark-submit mounts it into the pods. Logs: kubectl logs <driver pod> (deploy/README.md).
# See deploy/common.sh for SPARK_HOME, REVIEW_RNN_CONF_DIR and REVIEW_RNN_DRY_RUN.
set -euo pipefail
# shellcheck source=deploy/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"

# Where deploy/k8s/Dockerfile puts things inside the image.
IMAGE_HOME=/opt/review-rnn
master=${SPARK_K8S_MASTER:-} image=${REVIEW_RNN_IMAGE:-} namespace=default account=spark executors=2
principal="" keytab="" krb5="" name=""
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --master) master=${2:?--master needs a value}; shift 2 ;;
    --image) image=${2:?--image needs a value}; shift 2 ;;
    --namespace) namespace=${2:?--namespace needs a value}; shift 2 ;;
    --service-account) account=${2:?--service-account needs a value}; shift 2 ;;
    --executors) executors=${2:?--executors needs a value}; shift 2 ;;
    --principal) principal=${2:?--principal needs a value}; shift 2 ;;
    --keytab) keytab=${2:?--keytab needs a value}; shift 2 ;;
    --krb5-conf) krb5=${2:?--krb5-conf needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --conf) extra+=(--conf "${2:?--conf needs K=V}"); shift 2 ;;
    -h | --help) rr_usage "$0"; exit 0 ;;
    --) shift; break ;;
    *) rr_pass_through "$@"; shift "$RR_TAKEN" ;;
  esac
done
[[ $# -gt 0 ]] || rr_die "no review-rnn command after --"
[[ $master == k8s://* ]] || rr_die "--master must be k8s://https://host:port (or set SPARK_K8S_MASTER), was '$master'"
[[ -n $image ]] || rr_die "--image is required (or set REVIEW_RNN_IMAGE); build it with deploy/k8s/Dockerfile"
if [[ -n $principal || -n $keytab ]]; then
  [[ -n $principal && -n $keytab && -n $krb5 ]] || rr_die "--principal, --keytab and --krb5-conf go together"
  [[ -r $keytab ]] || rr_die "keytab $keytab is not readable"
fi

# The image carries conf/, so driver and executors read the same log4j2 file.
rr_conf_args "$IMAGE_HOME/conf/log4j2.properties" "$IMAGE_HOME/conf/log4j2.properties"

args=(--master "$master" --deploy-mode cluster --class io.reviewrnn.jobs.cli.Main --name "${name:-review-rnn-$1}"
  --conf "spark.kubernetes.container.image=$image"
  --conf "spark.kubernetes.namespace=$namespace"
  --conf "spark.kubernetes.authenticate.driver.serviceAccountName=$account"
  --conf "spark.executor.instances=$executors")
if [[ -n $principal ]]; then
  args+=(--principal "$principal" --keytab "$keytab" --conf "spark.kubernetes.kerberos.krb5.path=$krb5")
fi
rr_submit "${args[@]}" "${RR_CONF_ARGS[@]}" ${extra[@]+"${extra[@]}"} ${RR_PASSED[@]+"${RR_PASSED[@]}"} "local://$IMAGE_HOME/review-rnn-jobs.jar" "$@"
