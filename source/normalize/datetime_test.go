package normalize

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"", time.Time{}, ""},
		{" \u00a0 ", time.Time{}, ""},
		{"2023-05-02", d(2023, 5, 2), ""},
		{"2023-05-02 14:30:00", d(2023, 5, 2), ""},
		{"2023-05-02T23:30:00Z", d(2023, 5, 2), ""},
		{"2023-05-02T00:00:00.000000Z", d(2023, 5, 2), ""},
		{"2023-05-02T22:00:00-05:00", d(2023, 5, 2), ""},
		{"2023/5/2", d(2023, 5, 2), ""},
		{"2023.05.02", d(2023, 5, 2), ""},
		{"03/04/2021", d(2021, 4, 3), ""},
		{"3/4/2021", d(2021, 4, 3), ""},
		{"03-04-2021", d(2021, 4, 3), ""},
		{"03.04.2021", d(2021, 4, 3), ""},
		{"03/04/2021 2:30 p. m.", d(2021, 4, 3), ""},
		{"29/02/2024", d(2024, 2, 29), ""},
		{"31/12/2100", d(2100, 12, 31), ""},
		{"01/01/1900", d(1900, 1, 1), ""},
		{"02-may-2023", d(2023, 5, 2), ""},
		{"02-may.-2023", d(2023, 5, 2), ""},
		{"2 mayo 2023", d(2023, 5, 2), ""},
		{"15 Ago 2020", d(2020, 8, 15), ""},
		{"01-Dec-2019", d(2019, 12, 1), ""},
		{"44927", d(2023, 1, 1), ""},
		{"44927.75", d(2023, 1, 1), ""},
		{"44927,75", d(2023, 1, 1), ""},
		{"1", d(1900, 1, 1), ""},
		{"59", d(1900, 2, 28), ""},
		{"61", d(1900, 3, 1), ""},
		{"31/02/2021", time.Time{}, CodeInvalidDate},
		{"29/02/2023", time.Time{}, CodeInvalidDate},
		{"00/00/0000", time.Time{}, CodeInvalidDate},
		{"00/01/2021", time.Time{}, CodeInvalidDate},
		{"01/13/2021", time.Time{}, CodeInvalidDate},
		{"12/31/2021", time.Time{}, CodeInvalidDate},
		{"2021-13-01", time.Time{}, CodeInvalidDate},
		{"2021-02-30", time.Time{}, CodeInvalidDate},
		{"1899-12-31", time.Time{}, CodeInvalidDate},
		{"01/01/2101", time.Time{}, CodeInvalidDate},
		{"03/04/21", time.Time{}, CodeInvalidDate},
		{"03/04/021", time.Time{}, CodeInvalidDate},
		{"2021", time.Time{}, CodeInvalidDate},
		{"60", time.Time{}, CodeInvalidDate},
		{"0", time.Time{}, CodeInvalidDate},
		{"0.5", time.Time{}, CodeInvalidDate},
		{"73416", time.Time{}, CodeInvalidDate},
		{"2958466", time.Time{}, CodeInvalidDate},
		{"1" + repeat("0", 400), time.Time{}, CodeInvalidDate},
		{"2023-05-02x", time.Time{}, CodeInvalidDate},
		{"2023-05-021", time.Time{}, CodeInvalidDate},
		{"2023-05/02", time.Time{}, CodeInvalidDate},
		{"2023_05_02", time.Time{}, CodeInvalidDate},
		{"2023-005-02", time.Time{}, CodeInvalidDate},
		{"2023-05", time.Time{}, CodeInvalidDate},
		{"03/04-2021", time.Time{}, CodeInvalidDate},
		{"003/04/2021", time.Time{}, CodeInvalidDate},
		{"03 04 2021", time.Time{}, CodeInvalidDate},
		{"03/004/2021", time.Time{}, CodeInvalidDate},
		{"03/04", time.Time{}, CodeInvalidDate},
		{"03", time.Time{}, CodeInvalidDate},
		{"3:", time.Time{}, CodeInvalidDate},
		{"03T04/2021", time.Time{}, CodeInvalidDate},
		{"02-mayo", time.Time{}, CodeInvalidDate},
		{"02-foo-2023", time.Time{}, CodeInvalidDate},
		{"02-may-23", time.Time{}, CodeInvalidDate},
		{"03/04/2021T10:00", time.Time{}, CodeInvalidDate},
		{"03/04/2021 25:00", time.Time{}, CodeInvalidDate},
		{"2023-05-02 14:30:00 XYZ", time.Time{}, CodeInvalidDate},
		{"mañana", time.Time{}, CodeInvalidDate},
		{"-44927", time.Time{}, CodeInvalidDate},
		{".", time.Time{}, CodeInvalidDate},
		{"003", time.Time{}, CodeInvalidDate},
		{"00044927", time.Time{}, CodeInvalidDate},
	}
	for _, tt := range tests {
		got, err := Date(tt.in)
		checkErr(t, fmt.Sprintf("Date(%q)", tt.in), err, tt.wantErr)
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("Date(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestMonthNames(t *testing.T) {
	months := [][]string{
		{"ene", "Enero", "jan", "January"},
		{"feb", "Febrero", "February"},
		{"mar", "Marzo", "March"},
		{"abr", "Abril", "apr", "April"},
		{"may", "Mayo"},
		{"jun", "Junio", "June"},
		{"jul", "Julio", "July"},
		{"ago", "Agosto", "aug", "August"},
		{"sep", "Sept", "set", "Septiembre", "setiembre", "September"},
		{"oct", "Octubre", "October"},
		{"nov", "Noviembre", "November"},
		{"dic", "Diciembre", "dec", "December"},
	}
	for i, names := range months {
		for _, name := range names {
			in := "01-" + name + "-2020"
			got, err := Date(in)
			if err != nil || got.Month() != time.Month(i+1) {
				t.Errorf("Date(%q) = %v, %v; want month %d", in, got, err, i+1)
			}
		}
	}
}

func TestDateTime(t *testing.T) {
	bog := Bogota()
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"", time.Time{}, ""},
		{"2023-05-02", time.Date(2023, 5, 2, 0, 0, 0, 0, bog), ""},
		{"2023-05-02 14:30:00", time.Date(2023, 5, 2, 14, 30, 0, 0, bog), ""},
		{"2023-05-02T14:30:00", time.Date(2023, 5, 2, 14, 30, 0, 0, bog), ""},
		{"2023-05-02t14:30", time.Date(2023, 5, 2, 14, 30, 0, 0, bog), ""},
		{"2023-05-02 14:30:00.25", time.Date(2023, 5, 2, 14, 30, 0, 250_000_000, bog), ""},
		{"2023-05-02T14:30:00Z", time.Date(2023, 5, 2, 14, 30, 0, 0, time.UTC), ""},
		{"2023-05-02T14:30:00.000000Z", time.Date(2023, 5, 2, 14, 30, 0, 0, time.UTC), ""},
		{"2023-05-02 14:30:00 UTC", time.Date(2023, 5, 2, 14, 30, 0, 0, time.UTC), ""},
		{"2023-05-02T14:30:00+00:00", time.Date(2023, 5, 2, 14, 30, 0, 0, time.UTC), ""},
		{"2023-05-02T14:30:00-05:00", time.Date(2023, 5, 2, 14, 30, 0, 0, bog), ""},
		{"2023-05-02T14:30:00-0300", time.Date(2023, 5, 2, 17, 30, 0, 0, time.UTC), ""},
		{"2023-05-02 14:30 +01", time.Date(2023, 5, 2, 13, 30, 0, 0, time.UTC), ""},
		{"03/04/2021 14:30", time.Date(2021, 4, 3, 14, 30, 0, 0, bog), ""},
		{"3/4/2021 2:30 p. m.", time.Date(2021, 4, 3, 14, 30, 0, 0, bog), ""},
		{"3/4/2021 2:30\u00a0p.\u00a0m.", time.Date(2021, 4, 3, 14, 30, 0, 0, bog), ""},
		{"3/4/2021 2:30:15 PM", time.Date(2021, 4, 3, 14, 30, 15, 0, bog), ""},
		{"3/4/2021 12:05 a.m.", time.Date(2021, 4, 3, 0, 5, 0, 0, bog), ""},
		{"3/4/2021 12:05 pm", time.Date(2021, 4, 3, 12, 5, 0, 0, bog), ""},
		{"44927.5", time.Date(2023, 1, 1, 12, 0, 0, 0, bog), ""},
		{"44927.604166666664", time.Date(2023, 1, 1, 14, 30, 0, 0, bog), ""},
		{"44927.99999999", time.Date(2023, 1, 2, 0, 0, 0, 0, bog), ""},
		{"59.999999999", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:30 PM", time.Time{}, CodeInvalidDate},
		{"3/4/2021 0:30 AM", time.Time{}, CodeInvalidDate},
		{"3/4/2021 24:00", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:60", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:30:60", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:3", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:30:5", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:30:05.", time.Time{}, CodeInvalidDate},
		{"3/4/2021 14:30:05.1234567890", time.Time{}, CodeInvalidDate},
		{"2023-05-02T14:30:00+15:00", time.Time{}, CodeInvalidDate},
		{"2023-05-02T14:30:00+05:60", time.Time{}, CodeInvalidDate},
		{"2023-05-02T14:30:00+5", time.Time{}, CodeInvalidDate},
		{"2023-05-02 14:30 mañana", time.Time{}, CodeInvalidDate},
		{"31/02/2021 10:00", time.Time{}, CodeInvalidDate},
	}
	for _, tt := range tests {
		got, err := DateTime(tt.in)
		checkErr(t, fmt.Sprintf("DateTime(%q)", tt.in), err, tt.wantErr)
		if !got.Equal(tt.want) {
			t.Errorf("DateTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	// Naive values keep Bogota as their location, not just the instant.
	if got, _ := DateTime("2023-05-02 14:30"); got.Location() != bog {
		t.Errorf("naive DateTime location = %v", got.Location())
	}
}

func TestExcelSerial(t *testing.T) {
	bog := Bogota()
	tests := []struct {
		in      float64
		want    time.Time
		wantErr string
	}{
		{1, time.Date(1900, 1, 1, 0, 0, 0, 0, bog), ""},
		{59, time.Date(1900, 2, 28, 0, 0, 0, 0, bog), ""},
		{61, time.Date(1900, 3, 1, 0, 0, 0, 0, bog), ""},
		{44927, time.Date(2023, 1, 1, 0, 0, 0, 0, bog), ""},
		{44927.25, time.Date(2023, 1, 1, 6, 0, 0, 0, bog), ""},
		{45000.6041666667, time.Date(2023, 3, 15, 14, 30, 0, 0, bog), ""},
		{2958465, time.Date(9999, 12, 31, 0, 0, 0, 0, bog), ""},
		{2958465.5, time.Time{}, CodeInvalidDate},
		{2958464.9999999, time.Date(9999, 12, 31, 0, 0, 0, 0, bog), ""},
		{60, time.Time{}, CodeInvalidDate},
		{60.5, time.Time{}, CodeInvalidDate},
		{59.9999999999, time.Time{}, CodeInvalidDate},
		{0, time.Time{}, CodeInvalidDate},
		{0.99, time.Time{}, CodeInvalidDate},
		{-1, time.Time{}, CodeInvalidDate},
		{2958466, time.Time{}, CodeInvalidDate},
		{2958465.999999999, time.Time{}, CodeInvalidDate},
		{math.NaN(), time.Time{}, CodeInvalidDate},
		{math.Inf(1), time.Time{}, CodeInvalidDate},
		{math.Inf(-1), time.Time{}, CodeInvalidDate},
	}
	for _, tt := range tests {
		got, err := ExcelSerial(tt.in)
		checkErr(t, fmt.Sprintf("ExcelSerial(%v)", tt.in), err, tt.wantErr)
		if !got.Equal(tt.want) {
			t.Errorf("ExcelSerial(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		in      string
		h, m, s int
		wantErr string
	}{
		{"", 0, 0, 0, ""},
		{"14:30", 14, 30, 0, ""},
		{"14:30:00", 14, 30, 0, ""},
		{"9:05:07", 9, 5, 7, ""},
		{"2:30 p. m.", 14, 30, 0, ""},
		{"2:30 PM", 14, 30, 0, ""},
		{"2:30pm", 14, 30, 0, ""},
		{"2:30 a. m.", 2, 30, 0, ""},
		{"12:00 AM", 0, 0, 0, ""},
		{"12:00 m.", 12, 0, 0, ""},
		{"12:30 M", 12, 30, 0, ""},
		{"3:00 m.", 0, 0, 0, CodeInvalidTime},
		{"12:15 p.m.", 12, 15, 0, ""},
		{"14:30:00.000", 14, 30, 0, ""},
		{"0.5", 12, 0, 0, ""},
		{"0,5", 12, 0, 0, ""},
		{".75", 18, 0, 0, ""},
		{"0", 0, 0, 0, ""},
		{"0.604166666666667", 14, 30, 0, ""},
		{"0.99999", 23, 59, 59, ""},
		{"0.999999999", 0, 0, 0, CodeInvalidTime},
		{"1", 0, 0, 0, CodeInvalidTime},
		{"1.5", 0, 0, 0, CodeInvalidTime},
		{"14:30:00.5", 0, 0, 0, CodeInvalidTime},
		{"14:30Z", 0, 0, 0, CodeInvalidTime},
		{"24:00", 0, 0, 0, CodeInvalidTime},
		{"13:00 PM", 0, 0, 0, CodeInvalidTime},
		{"14h30", 0, 0, 0, CodeInvalidTime},
		{"mediodía", 0, 0, 0, CodeInvalidTime},
	}
	for _, tt := range tests {
		h, m, s, err := Clock(tt.in)
		checkErr(t, fmt.Sprintf("Clock(%q)", tt.in), err, tt.wantErr)
		if h != tt.h || m != tt.m || s != tt.s {
			t.Errorf("Clock(%q) = %d:%d:%d, want %d:%d:%d", tt.in, h, m, s, tt.h, tt.m, tt.s)
		}
	}
}

func TestDateOrder(t *testing.T) {
	evidence := []struct {
		in   string
		want DateEvidence
	}{
		{"12/25/2015", EvidenceMonthFirst}, {"2/29/2016", EvidenceMonthFirst}, {"25/12/2015", EvidenceDayFirst},
		{"03/04/2015", EvidenceAmbiguous}, {"3-4-2015 10:00", EvidenceAmbiguous}, {"04/04/2015", EvidenceNone},
		{"2015-03-04", EvidenceNone}, {"13/13/2015", EvidenceNone}, {"03/04/15", EvidenceNone}, {"44927", EvidenceNone},
		{"", EvidenceNone}, {"0/13/2015", EvidenceNone}, {"03.14.2015", EvidenceMonthFirst}, {"3/14-2015", EvidenceNone},
	}
	for _, tt := range evidence {
		if got := NumericDateEvidence(tt.in); got != tt.want {
			t.Errorf("NumericDateEvidence(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	orders := []struct {
		day, month int
		want       DateOrder
	}{
		{0, 0, DayFirst}, {5, 0, DayFirst}, {0, 1, DayFirst}, {0, 2, MonthFirst}, {1, 2, OrderMixed}, {1, 1, OrderMixed},
		{2, 40, OrderMixed}, {1, 40, MonthFirst}, {40, 2, OrderMixed}, {41, 2, DayFirst}, {5000, 13, DayFirst}, {1, 21, MonthFirst},
	}
	for _, tt := range orders {
		if got := DecideDateOrder(tt.day, tt.month); got != tt.want {
			t.Errorf("DecideDateOrder(%d, %d) = %d, want %d", tt.day, tt.month, got, tt.want)
		}
	}
	dates := []struct {
		in    string
		order DateOrder
		want  string
		code  string // error code expected, "" for none
	}{
		{"03/04/2015", DayFirst, "2015-04-03", ""},
		{"03/04/2015", MonthFirst, "2015-03-04", ""},
		{"12/25/2015", MonthFirst, "2015-12-25", ""},
		{"2/29/2016", MonthFirst, "2016-02-29", ""},
		{"2/29/2015", MonthFirst, "", CodeInvalidDate},
		{"12/25/2015", DayFirst, "", CodeInvalidDate},
		{"2015-03-04", MonthFirst, "2015-03-04", ""},
		{"04/04/2015", OrderMixed, "2015-04-04", ""},
		{"03/04/2015", OrderMixed, "", CodeAmbiguousDate},
		{"12/25/2015", OrderMixed, "2015-12-25", ""},
		{"25/12/2015", OrderMixed, "2015-12-25", ""},
		{"03-04-2015 14:30", MonthFirst, "2015-03-04", ""},
		{"02-may.-2023", MonthFirst, "2023-05-02", ""},
	}
	for _, tt := range dates {
		got, err := DateIn(tt.in, tt.order)
		if CodeOf(err) != tt.code {
			t.Errorf("DateIn(%q, %d) error %v, want code %q", tt.in, tt.order, err, tt.code)
			continue
		}
		if err == nil && got.Format(time.DateOnly) != tt.want {
			t.Errorf("DateIn(%q, %d) = %s, want %s", tt.in, tt.order, got.Format(time.DateOnly), tt.want)
		}
	}
	if got, err := DateTimeIn("12/25/2015 08:00", MonthFirst); err != nil || got.Day() != 25 || got.Hour() != 8 {
		t.Errorf("DateTimeIn = %v, %v", got, err)
	}
}
