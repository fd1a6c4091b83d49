// Command reflectmethod is a main package that executes a text/template,
// for the method guard's own test (linkguard_test.go): evaluating
// {{.Name}} may call a method named at run time, so linking it makes the
// Go linker keep every exported method. It is built, never run.
package main

import (
	"os"
	"text/template"
)

func main() {
	t := template.Must(template.New("status").Parse("{{.Name}} is {{.Address}}\n"))
	_ = t.Execute(os.Stdout, struct{ Name, Address string }{"home.example.com", "81.2.69.160"})
}
