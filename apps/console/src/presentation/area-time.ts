// The area's times and dates are written once (libs/calendar), for the console and the MARAC's pack.
export {
  AREA_TIME_ZONE,
  areaDateTime,
  countdown,
  formatDate,
  formatDateTime,
  formatTime,
} from '@app/calendar';
