package codes

import (
	"fmt"
	"strings"
)

// cvx is the CDC CVX vaccine list.
type cvx struct {
	ix    *index
	codes []Code
	rank  order
}

var cvxList = &lazy[cvx]{
	build: func() (*cvx, error) { return loadCVX(cvxData) },
	empty: func() *cvx { return newCVX(nil) },
}

// CVX searches vaccines by code ("03", or "3") or by words of the short or
// full name. Inactive and non-US vaccines rank after active ones.
func CVX(query string, limit int) []Code {
	l := cvxList.get()
	return l.ix.search(query, limit, nil, l.rank)
}

// LookupCVX finds a CVX code; leading zeros are optional.
func LookupCVX(code string) (Code, bool) { return cvxList.get().ix.lookup(code) }

// rankKey ranks active vaccines first, then shorter names.
func (l *cvx) rankKey(e int32) rankKey {
	c := &l.codes[e]
	return rankKey{flag(c.Status != "Active"), int32(len(c.Display))}
}

// digitsKey accepts numeric codes (CVX, RXCUI).
func digitsKey(q string) (string, bool) {
	if q == "" || len(q) > 12 {
		return "", false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return q, true
}

func loadCVX(data []byte) (*cvx, error) {
	var codes []Code
	err := readTSV(string(data), 4, func(f []string) error {
		if _, ok := digitsKey(f[0]); !ok {
			return fmt.Errorf("code %q", f[0])
		}
		detail := f[3]
		if detail == f[2] {
			detail = ""
		}
		codes = append(codes, Code{System: SystemCVX, Code: f[0], Display: f[2], Detail: detail, Status: f[1]})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load CVX: %w", err)
	}
	return newCVX(codes), nil
}

func newCVX(codes []Code) *cvx {
	l := &cvx{codes: codes}
	keys := make([]string, len(codes))
	text := make([]entryText, len(codes))
	for i, c := range codes {
		keys[i] = c.Code
		text[i].text = c.Display + " " + c.Detail
	}
	l.ix = buildIndex(keys, text, digitsKey, func(e int32) Code { return l.codes[e] })
	l.rank = newOrder(len(codes), l.rankKey)
	for i, c := range codes {
		if short := strings.TrimLeft(c.Code, "0"); short != c.Code && short != "" {
			l.ix.alias[short] = int32(i)
		}
	}
	return l
}
