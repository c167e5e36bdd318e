package apply

// Record names a record a pulled change wrote: its kind and its id.
type Record struct{ Kind, ID string }
