package chart

import (
	"slices"
	"testing"
)

func TestBackupSettingsValidate(t *testing.T) {
	ok := DefaultBackupSettings
	ok.Folder = "  /media/usb/outpost  "
	if err := ok.Validate(); err != nil || ok.Folder != "/media/usb/outpost" {
		t.Fatalf("good settings: %v (folder %q)", err, ok.Folder)
	}
	off := BackupSettings{KeepDaily: 1, WarnDays: 1} // no folder, no daily time, keep nothing weekly or monthly
	if err := off.Validate(); err != nil {
		t.Fatalf("backups not set up yet: %v", err)
	}
	bad := BackupSettings{Folder: "usb/backups", DailyAt: "25:00", KeepDaily: 0, KeepWeekly: -1, KeepMonthly: 5000, WarnDays: 0}
	var got []string
	for _, p := range ErrorFields(bad.Validate()) {
		got = append(got, p.Field)
	}
	want := []string{"folder", "dailyAt", "keepDaily", "keepWeekly", "keepMonthly", "warnDays"}
	if !slices.Equal(got, want) {
		t.Fatalf("fields = %v, want every problem at once: %v", got, want)
	}
}
