# British house style: "6 December 2026" rather than "Dec. 6, 2026".
DATE_FORMAT = "j F Y"
