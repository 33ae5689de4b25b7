# shellcheck shell=bash
# Servers for the script tests and benchmarks, on 127.0.0.1 only; sourced,
# not run. Whoever sources it calls stop_servers from its EXIT trap.
#
#   free_port                    prints a free TCP port
#   wait_for_port PORT           waits up to 10 s for something to listen there
#   start_git_http DIR ROOT PORT [TLS_PORT CERT KEY]
#       git-http-backend behind nginx + fcgiwrap: the bare repositories under
#       ROOT at http://127.0.0.1:PORT/git/<name> (and https on TLS_PORT),
#       basic auth from DIR/htpasswd (written by the caller; the web server's
#       user is REMOTE_USER, the pusher), Git-Protocol passed on (protocol v2),
#       http.receivepack left to each repository's config. Logs, sockets and
#       nginx's temporary files are in DIR. Returns non-zero when nginx did not
#       start or listen; DIR/start.log and DIR/error.log say why.
#   start_nginx DIR              nginx with DIR/nginx.conf (which names
#       DIR/nginx.pid as its pid file), stopped by stop_servers; the
#       configuration starts with $nginx_user_line (root runs its workers as
#       root, so they can read the test's private directories)
#   stop_servers                 stops everything started here

NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
FCGIWRAP="$(command -v fcgiwrap || echo /usr/sbin/fcgiwrap)"
server_groups=()     # process groups (fcgiwrap forks its workers)
server_pid_files=()  # daemons that write a pid file (nginx)
nginx_user_line=""
[[ "$(id -u)" -eq 0 ]] && nginx_user_line="user root root;"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for_port() {
  local _
  for _ in $(seq 1 100); do
    python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$1)))" && return 0
    sleep 0.1
  done
  return 1
}

start_git_http() {
  local dir="$1" root="$2" port="$3" tls_port="${4:-}" cert="${5:-}" key="${6:-}"
  mkdir -p "$dir"
  # In a process group of its own, so its workers stop with it.
  setsid "$FCGIWRAP" -s "unix:$dir/fcgi.sock" -c 8 >"$dir/fcgiwrap.log" 2>&1 &
  server_groups+=($!)
  local tls_listen=""
  [[ -z "$tls_port" ]] || tls_listen="listen 127.0.0.1:$tls_port ssl; ssl_certificate $cert; ssl_certificate_key $key;"
  cat >"$dir/nginx.conf" <<CONF
$nginx_user_line
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port;
    $tls_listen
    location ~ ^/git(/.*)\$ {
      auth_basic "git";
      auth_basic_user_file $dir/htpasswd;
      fastcgi_pass unix:$dir/fcgi.sock;
      fastcgi_read_timeout 300;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $(git --exec-path)/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $root;
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO \$1;
      fastcgi_param REMOTE_USER \$remote_user;
      fastcgi_param GIT_PROTOCOL \$http_git_protocol;
      fastcgi_param HOME ${HOME:-/nonexistent};
      fastcgi_param GIT_CONFIG_NOSYSTEM 1;
    }
  }
}
CONF
  local _
  for _ in $(seq 1 50); do [[ -S "$dir/fcgi.sock" ]] && break; sleep 0.1; done
  start_nginx "$dir" || return 1
  wait_for_port "$port"
}

start_nginx() {
  server_pid_files+=("$1/nginx.pid")
  "$NGINX" -c "$1/nginx.conf" -e "$1/error.log" 2>"$1/start.log"
}

stop_servers() {
  local g f
  for g in "${server_groups[@]}"; do kill -- "-$g" 2>/dev/null; done
  for f in "${server_pid_files[@]}"; do
    # The server may remove its pid file between the test and the read.
    [[ -s "$f" ]] && kill "$(cat "$f" 2>/dev/null)" 2>/dev/null
  done
  server_groups=()
  server_pid_files=()
}
