#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432), Redis (127.0.0.1:6379), Chromium and fonts are there for `make test`.
# Starts them from Debian's packages when they are installed but not running; says clearly what is missing.
set -u
missing=()

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Starting PostgreSQL $version ..."
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do port_open 5432 && break; sleep 0.5; done
  port_open 5432 || missing+=("PostgreSQL on 127.0.0.1:5432 (Debian: apt-get install postgresql; trust auth for user postgres)")
fi

# The settings name database "ocop" (pytest creates test_ocop beside it); create it so checks can connect.
if port_open 5432 && command -v psql >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ocop'" 2>/dev/null | grep -q 1 \
    || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE ocop" >/dev/null 2>&1 || true
fi

if ! port_open 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis ..."
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  fi
  for _ in $(seq 1 30); do port_open 6379 && break; sleep 0.2; done
  port_open 6379 || missing+=("Redis on 127.0.0.1:6379 (Debian: apt-get install redis-server)")
fi

apt_needed=()
[ -x /usr/bin/chromium ] || apt_needed+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt_needed+=(fonts-dejavu-core)
# Stamp labels: the traceability tests rasterise the PDF (poppler) and decode its QR codes (zbar).
command -v zbarimg >/dev/null 2>&1 || apt_needed+=(zbar-tools)
command -v pdftoppm >/dev/null 2>&1 || apt_needed+=(poppler-utils)
# WeasyPrint subsets fonts with HarfBuzz when it can; without it fontTools takes ~6x the CPU per certificate PDF.
has_hb_subset() { /sbin/ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'; }
has_hb_subset || apt_needed+=(libharfbuzz-subset0)
if [ ${#apt_needed[@]} -gt 0 ]; then
  echo "Installing Debian packages for the browser, PDF and QR tests: ${apt_needed[*]}"
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq && as_root apt-get install -y -qq "${apt_needed[@]}" >/dev/null
  fi
  [ -x /usr/bin/chromium ] || missing+=("Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("fonts-dejavu-core (apt-get install fonts-dejavu-core)")
  command -v zbarimg >/dev/null 2>&1 || missing+=("zbarimg (apt-get install zbar-tools)")
  command -v pdftoppm >/dev/null 2>&1 || missing+=("pdftoppm (apt-get install poppler-utils)")
  has_hb_subset || echo "Warning: libharfbuzz-subset0 is missing; certificate PDFs will be slower (apt-get install libharfbuzz-subset0)" >&2
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "make test cannot run: missing" >&2
  for m in "${missing[@]}"; do echo "  - $m" >&2; done
  exit 1
fi
echo "PostgreSQL, Redis and Chromium are ready."
