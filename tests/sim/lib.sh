# Shared by the shell tests of tests/sim and tests/trace (sourced): failure bookkeeping and
# whole-line checks. The caller sets `status=0` first.

fail() {
	echo "FAIL: $*"
	status=1
}

# has FILE LINE...: every LINE is a whole line of FILE
has() {
	file=$1
	shift
	for want in "$@"; do
		grep -Fqx -- "$want" "$file" || fail "missing line '$want' in: $(head -40 "$file")"
	done
}
