package main

deny contains "never" if {
	some i in numbers.range(1, 10000)
	some j in numbers.range(1, 10000)
	some k in numbers.range(1, 10000)
	i + j + k < 0
}
