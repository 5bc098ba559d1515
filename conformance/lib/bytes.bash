# flip_byte FILE OFFSET: replaces the byte at OFFSET by its complement, so the file surely
# changes (writing a fixed byte leaves it as it was when that byte was already there).
flip_byte() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf %03o $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
