package main

test_passes if {
	deny["always"]
}

test_fails if {
	count(deny) == 0
}
