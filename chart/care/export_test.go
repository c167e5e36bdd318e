package care

// DueAllOn is DueAll on a given number of workers, for the tests.
var DueAllOn = dueAll
