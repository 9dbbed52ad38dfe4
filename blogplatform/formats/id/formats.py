# "2 Desember 2021 13:12", as the reference page reads; Django's own "id"
# formats abbreviate the month and use a dot between hours and minutes.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
