package app_test

import (
	"context"
	"testing"

	"outpost/app"
	"outpost/chart"
)

// The signed-in set-up the app's tests share: a practice on a real store,
// its users, and signing them in through the bound methods.

// practiceApp is a new practice with its administrator (Ada) signed in and
// Dr Sam Rivera, a clinician, added; it returns Sam.
func practiceApp(t *testing.T, opts app.Options) (*app.App, chart.User) {
	t.Helper()
	a := newApp(t, opts)
	a.Startup(context.Background())
	if _, err := a.Session.CreatePractice(practice()); err != nil {
		t.Fatal(err)
	}
	return a, addUser(t, a, "Dr Sam Rivera", "sam", chart.RoleClinician)
}

// clinicianApp is practiceApp with Dr Sam Rivera signed in.
func clinicianApp(t *testing.T, opts app.Options) *app.App {
	t.Helper()
	a, _ := practiceApp(t, opts)
	signIn(t, a, "sam")
	return a
}

// addUser adds a user (the administrator signed in) whose passphrase is
// the one signIn types: "<username>'s long passphrase".
func addUser(t *testing.T, a *app.App, fullName, username string, role chart.Role) chart.User {
	t.Helper()
	u, err := a.Admin.AddUser(chart.NewUser{FullName: fullName, Username: username, Role: role, Passphrase: username + "'s long passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func signIn(t *testing.T, a *app.App, user string) {
	t.Helper()
	if _, err := a.Session.SignIn(user, user+"'s long passphrase"); err != nil {
		t.Fatal(err)
	}
}
