package chart

import (
	"strings"
	"testing"
)

func TestReferralValidateTrimsAndAcceptsAGoodReferral(t *testing.T) {
	r := Referral{RecipientName: "  Dr Ama Osei ", RecipientOrganization: "City Hospital Cardiology",
		RecipientContact: "+44 20 7946 0000", Reason: " Palpitations for three months.\r\nECG normal. ", Question: "Is an ablation indicated?"}
	if err := r.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if r.RecipientName != "Dr Ama Osei" || r.Reason != "Palpitations for three months.\nECG normal." {
		t.Fatalf("not trimmed: %q %q", r.RecipientName, r.Reason)
	}
	if got := r.Recipient(); got != "Dr Ama Osei, City Hospital Cardiology" {
		t.Fatalf("Recipient() = %q", got)
	}
}

func TestReferralValidateNamesEveryBadField(t *testing.T) {
	r := Referral{RecipientName: " ", RecipientContact: "line one\nline two",
		Reason: "", Question: strings.Repeat("why ", MaxReferralQuestionLen)}
	err := r.Validate()
	if ErrorCode(err) != EINVALID {
		t.Fatalf("code = %q (%v), want invalid", ErrorCode(err), err)
	}
	var fields []string
	for _, fp := range ErrorFields(err) {
		fields = append(fields, fp.Field)
	}
	want := "recipientName recipientContact reason question"
	if got := strings.Join(fields, " "); got != want {
		t.Fatalf("fields = %q, want %q", got, want)
	}
	if ErrorField(err) != "recipientName" {
		t.Fatalf("first field = %q", ErrorField(err))
	}
}

func TestReferralRefusesReorderingCharactersInTheReason(t *testing.T) {
	r := Referral{RecipientName: "Dr Osei", Reason: "dose \u202E01 mg"}
	if f := ErrorField(r.Validate()); f != "reason" {
		t.Fatalf("field = %q, want reason", f)
	}
}

func TestReferrerComesFromProfileAndPracticeAndOnlyClinicianRefers(t *testing.T) {
	u := User{ID: "u1", FullName: "Dr Sam Rivera", Role: RoleClinician, LicenceNumber: "L-1", NPI: "1234567893"}
	p := Practice{ID: "p1", Name: "Green Valley Clinic", Address: "1 Main St\nSpringfield", Phone: "555 0100"}
	ref := NewReferrer(u, p)
	if ref.CallBack() != "Phone 555 0100 · 1 Main St, Springfield" {
		t.Fatalf("CallBack() = %q", ref.CallBack())
	}
	if err := ref.Check(); err != nil {
		t.Fatalf("clinician refused: %v", err)
	}
	u.Role = RoleNurse
	if code := ErrorCode(NewReferrer(u, p).Check()); code != EFORBIDDEN {
		t.Fatalf("nurse: code %q, want forbidden", code)
	}
	if (Referrer{}).CallBack() != "" {
		t.Fatal("empty referrer has a call-back")
	}
}
