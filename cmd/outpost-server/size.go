package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// sizeValue is a byte count flag: plain bytes or a number with KiB, MiB or
// GiB (KB, MB, GB mean the same here: administrators mix them).
type sizeValue int64

func sizeFlag(fs *flag.FlagSet, name string, def int64, usage string) *int64 {
	v := sizeValue(def)
	fs.Var(&v, name, usage)
	return (*int64)(&v)
}

func (v *sizeValue) String() string { return strconv.FormatInt(int64(*v), 10) }

func (v *sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	*v = sizeValue(n)
	return nil
}

func parseSize(s string) (int64, error) {
	num := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffixes []string
		mult     int64
	}{{[]string{"GiB", "GB", "G"}, 1 << 30}, {[]string{"MiB", "MB", "M"}, 1 << 20}, {[]string{"KiB", "KB", "K"}, 1 << 10}} {
		for _, suf := range u.suffixes {
			if rest, ok := strings.CutSuffix(num, suf); ok {
				num, mult = strings.TrimSpace(rest), u.mult
				break
			}
		}
		if mult != 1 {
			break
		}
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 || n*float64(mult) > 1<<50 {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 4GiB)", s)
	}
	return int64(n * float64(mult)), nil
}
