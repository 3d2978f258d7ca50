#!/bin/sh
# down.sh STACK_DIR: stops the services up.sh started (nginx, docs, api); the files stay.
STACK=${1:?usage: down.sh STACK_DIR}
status=0
for s in nginx docs api; do "$STACK/bin/svc" stop "$s" || status=1; done
exit $status
