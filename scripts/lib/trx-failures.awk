# Prints each failed test of a TRX file with the first lines of its error message, so the end of a long test
# log (often all a CI page keeps) says why a test failed, not only which.
#   awk -f scripts/lib/trx-failures.awk TestResults/*.trx
function unescape(text) {
  gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&quot;/, "\"", text)
  gsub(/&apos;/, "'", text); gsub(/&#xD;/, "", text); gsub(/&#xA;/, " ", text); gsub(/&amp;/, "\\&", text)
  return text
}
/<UnitTestResult / {
  failed = $0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/
  if (failed && match($0, /testName="[^"]*"/)) print "  test: " unescape(substr($0, RSTART + 10, RLENGTH - 11))
  inMessage = 0; lines = 0
}
failed && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
failed && inMessage {
  text = $0
  last = sub(/<\/Message>.*/, "", text)
  if (lines < 12 && text ~ /[^[:space:]]/) { print "      " unescape(text); lines++ }
  if (last) inMessage = 0
}
/<\/UnitTestResult>/ { failed = 0 }
