#!/usr/bin/env bash
# Installs the Debian packages the test suite uses as real peers, when they are missing:
# openssl (peer client), softhsm2 (PKCS#11 CA keys), chromium + chromium-driver (browser tests), curl,
# certbot and lego (ACME interoperability tests), postgresql-client (pg_dump/psql for the backup-restore test).
set -euo pipefail
missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v certbot >/dev/null 2>&1 || missing+=(certbot)
command -v lego >/dev/null 2>&1 || missing+=(lego)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing test tools: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
