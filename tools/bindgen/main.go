// Command bindgen regenerates frontend/wailsjs from the app package's bound
// structs without the full app (no store needed): Wails' bindings build tag
// makes wails.Run write the bindings and exit.
package main

import (
	"log"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"

	"outpost/app"
)

func main() {
	a := app.New(nil, app.Options{})
	if err := wails.Run(&options.App{Title: "bindgen", Bind: a.Bind()}); err != nil {
		log.Fatal(err)
	}
}
