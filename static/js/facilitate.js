// The workshops page /facilitate/: the new workshop takes the facilitator's time zone,
// so its report and exports tell times as the room lived them.
const zone = document.getElementById("id_time_zone");
if (zone && !zone.value) {
  try {
    zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    // No Intl time zones in this browser: the server uses UTC.
  }
}
