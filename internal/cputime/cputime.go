// Package cputime reads the CPU time this process has used: on a machine
// shared with other work the wall clock's seconds swing with the load,
// CPU seconds much less, so benchmarks and the sync bench report these.
package cputime
