package printout

import "strings"

// wrap breaks clean text into lines no wider than width when set in f at
// size. Each '\n' starts a new line (an empty paragraph gives an empty
// line); runs of spaces collapse to one. A word wider than the line is cut
// between characters, and every line holds at least one character, so
// wrapping always ends, however narrow the width.
func wrap(text string, f font, size, width float64) []string {
	if text == "" {
		return nil
	}
	var lines []string
	for para := range strings.SplitSeq(text, "\n") {
		lines = append(lines, wrapParagraph(para, f, size, width)...)
	}
	return lines
}

func wrapParagraph(para string, f font, size, width float64) []string {
	// Only the space separates words: a no-break space holds "10 mg"
	// together, as it is meant to.
	words := strings.FieldsFunc(para, func(r rune) bool { return r == ' ' })
	if len(words) == 0 {
		return []string{""}
	}
	// Widths add up in font units, as textWidth counts them, so a line
	// that fits here measures the same when it is drawn.
	fits := func(units int) bool { return float64(units)*size/1000 <= width }
	space := textUnits(" ", f)
	var lines, cur []string
	curUnits := 0
	for _, w := range words {
		wu := textUnits(w, f)
		if len(cur) > 0 && fits(curUnits+space+wu) {
			cur = append(cur, w)
			curUnits += space + wu
			continue
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
			cur, curUnits = cur[:0], 0
		}
		for !fits(wu) && len(w) > len(firstChar(w)) {
			head, rest := cutToWidth(w, f, size, width)
			lines = append(lines, head)
			w, wu = rest, textUnits(rest, f)
		}
		cur, curUnits = append(cur, w), wu
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}

// firstChar is the first character of a non-empty string.
func firstChar(s string) string {
	for i := range s {
		if i > 0 {
			return s[:i]
		}
	}
	return s
}

// cutToWidth splits w after the longest prefix that fits width, keeping at
// least one character in the prefix.
func cutToWidth(w string, f font, size, width float64) (head, rest string) {
	n := prefixFitting(w, f, size, width)
	if n == 0 {
		n = len(firstChar(w))
	}
	return w[:n], w[n:]
}

// fit shortens a single line to width, ending it with an ellipsis when
// something had to go: for headers, where wrapping has no room.
func fit(s string, f font, size, width float64) string {
	if prefixFitting(s, f, size, width) == len(s) {
		return s
	}
	const ellipsis = "…"
	return s[:prefixFitting(s, f, size, width-textWidth(ellipsis, f, size))] + ellipsis
}
