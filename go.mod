module outpost

go 1.26.0

require (
	filippo.io/age v1.3.2
	github.com/google/uuid v1.6.0
	golang.org/x/crypto v0.58.0
)

require (
	filippo.io/hpke v0.4.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
