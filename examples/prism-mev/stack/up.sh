#!/bin/sh
# up.sh STACK_DIR [PUBLIC_PORT API_PORT DOCS_PORT]: builds the PRISM MEV stack on this machine and starts it,
# without Docker or Coolify: three releases side by side, the API key file, the docs sources, a private nginx in
# front of the API, and the docs site. Defaults: ports 8800 (nginx), 8801 (API), 8802 (docs), as in opsdeck.yaml.
#
#   STACK/releases/vX.Y.Z/   one directory per version (prism-app.py)
#   STACK/current            symbolic link to the deployed release
#   STACK/deploys.log        the annotated change log: one line per successful deploy
#   STACK/secrets/api_keys   "NAME SECRET" per line, mode 600
#   STACK/src/               the docs sources and their Makefile (make docs-validate, make docs-build)
#   STACK/docs-site/         the built docs, served by the docs service
#   STACK/cache/             build artifacts, what a prune reclaims
#   STACK/nginx/             the nginx prefix: conf/nginx.conf, conf/sites/{live,maintenance,active}.conf
#   STACK/bin/svc            start, stop, restart, status the services (api, docs, nginx)
#
# down.sh STACK_DIR stops everything again.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
STACK=${1:?usage: up.sh STACK_DIR [PUBLIC_PORT API_PORT DOCS_PORT]}
PUBLIC_PORT=${2:-8800}
API_PORT=${3:-8801}
DOCS_PORT=${4:-8802}
[ ! -e "$STACK/current" ] || { echo "$STACK already holds a stack (current exists)" >&2; exit 1; }
mkdir -p "$STACK"
STACK=$(cd "$STACK" && pwd)
cd "$STACK"
mkdir -p bin run logs secrets cache src/docs docs-site nginx/conf/sites nginx/logs nginx/run nginx/temp
printf 'PUBLIC_PORT=%s\nAPI_PORT=%s\nDOCS_PORT=%s\n' "$PUBLIC_PORT" "$API_PORT" "$DOCS_PORT" > stack.env
cp "$HERE/svc" bin/svc
chmod 755 bin/svc

for v in v1.0.0 v1.1.0 v1.2.0; do
  mkdir -p "releases/$v"
  cp "$HERE/prism-app.py" "releases/$v/prism-app.py"
done
ln -sfn releases/v1.0.0 current
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) v1.0.0 previous=none note=initial install" > deploys.log

(umask 077
 for name in searcher-1 dashboard; do
   printf '%s %s\n' "$name" "$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
 done > secrets/api_keys)

# build artifacts a prune may delete: 3 x 2 MB
for i in 1 2 3; do head -c 2000000 /dev/zero > "cache/build-$i.tar"; done

cat > src/docs/index.md <<'MD'
# PRISM MEV

- [Operator manual](operator-manual.md)
MD
cat > src/docs/operator-manual.md <<'MD'
# Operator manual

Health: `GET /api/v1/providers/health`. Back to the [index](index.md).
MD
cat > src/Makefile <<'MK'
# docs-validate: every relative link of docs/*.md points to a file that exists
# docs-build: copies the docs into the site the docs service serves
SITE ?= ../docs-site
docs-validate:
	@status=0; for f in docs/*.md; do \
	  for link in $$(grep -o '](\([^)#:]*\))' $$f | sed 's/^](//; s/)$$//'); do \
	    [ -e "docs/$$link" ] || { echo "$$f: broken link $$link"; status=1; }; \
	  done; \
	done; [ $$status -eq 0 ] && echo "docs valid: $$(ls docs/*.md | wc -l) pages"; exit $$status
docs-build: docs-validate
	@mkdir -p $(SITE) && cp docs/*.md $(SITE)/ && echo "built $$(ls docs/*.md | wc -l) pages into $(SITE)"
.PHONY: docs-validate docs-build
MK
make -s -C src docs-build > /dev/null

cat > nginx/conf/nginx.conf <<NGINX
# A private nginx: every path under the prefix (nginx -p STACK/nginx/), its own port, no root needed.
worker_processes 1;
pid run/nginx.pid;
error_log logs/error.log;
events { worker_connections 64; }
http {
  access_log logs/access.log;
  client_body_temp_path temp/body;
  proxy_temp_path temp/proxy;
  fastcgi_temp_path temp/fastcgi;
  uwsgi_temp_path temp/uwsgi;
  scgi_temp_path temp/scgi;
  # live.conf or maintenance.conf: the runbooks traffic-off and traffic-on switch this link
  include sites/active.conf;
}
NGINX
cat > nginx/conf/sites/live.conf <<NGINX
server {
  listen 127.0.0.1:$PUBLIC_PORT;
  location / { proxy_pass http://127.0.0.1:$API_PORT; }
}
NGINX
# the page is in the config, not a file: nginx's workers may run as another user than the one owning STACK
cat > nginx/conf/sites/maintenance.conf <<NGINX
server {
  listen 127.0.0.1:$PUBLIC_PORT;
  location / {
    default_type text/html;
    add_header Retry-After 600 always;
    return 503 '<!doctype html><title>Maintenance</title><h1>PRISM MEV is down for maintenance</h1>\n';
  }
}
NGINX
ln -sfn live.conf nginx/conf/sites/active.conf

bin/svc start api
bin/svc start docs
bin/svc start nginx
