// Command replacements prints, for each managed kind given on stdin (one
// "<group>/<Kind>" per line, e.g. "ec2.aws.m.upbound.io/Subnet"), the fields whose
// change makes the Terraform resource behind it replace the resource, read from
// the provider's own runtime schema (the generated schema.json carries no ForceNew):
//   - SDKv2 resources: ForceNew on a schema field;
//   - Plugin Framework resources: a RequiresReplace plan modifier (RequiresReplaceIf
//     with another description is "may replace": decided at plan time);
//   - SDKv2 CustomizeDiff that calls d.ForceNew("field") in the resource's own source
//     file: "may replace" (decided at plan time).
//
// Field paths are the CRD's (upjet's lowerCamel of each Terraform name), dot-separated
// without list indices. Output: JSON on stdout, keys sorted (encoding/json sorts maps).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	ujconfig "github.com/crossplane/upjet/v2/pkg/config"
	"github.com/crossplane/upjet/v2/pkg/types/name"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-provider-aws/xpprovider"

	"github.com/upbound/provider-aws/v2/config"
)

// The descriptions terraform-plugin-framework gives its RequiresReplace() and
// RequiresReplaceIfConfigured() (we configure what we set): these always replace.
var requiresReplace = map[string]bool{
	"If the value of this attribute changes, Terraform will destroy and recreate the resource.":                   true,
	"If the value of this attribute is configured and changes, Terraform will destroy and recreate the resource.": true,
}

type kind struct {
	Terraform   string   `json:"terraform"`
	Framework   bool     `json:"framework,omitempty"`
	Replace     []string `json:"replace"`
	MayReplace  []string `json:"mayReplace"`
	Identifiers []string `json:"identifierFields"`
}

func camel(tfPath []string) string {
	out := make([]string, len(tfPath))
	for i, p := range tfPath {
		out[i] = name.NewFromSnake(p).LowerCamelComputed
	}
	return strings.Join(out, ".")
}

func sdkWalk(s map[string]*schema.Schema, path []string, k *kind) {
	for n, f := range s {
		p := append(append([]string{}, path...), n)
		if f.ForceNew && (f.Optional || f.Required) {
			k.Replace = append(k.Replace, camel(p))
		}
		if r, ok := f.Elem.(*schema.Resource); ok {
			sdkWalk(r.Schema, p, k)
		}
	}
}

// d.ForceNew("x") in a CustomizeDiff, or customdiff.ForceNewIfChange("x", ...).
var forceNewCall = regexp.MustCompile(`(?:\.ForceNew|ForceNewIfChange)\("([a-z0-9_.]+)"`)

// mayReplace: the fields an SDKv2 resource's CustomizeDiff can force new, read from the
// source file that declares the resource (its "// @SDKResource("<name>"" annotation, the
// Terraform AWS provider's registration): d.ForceNew("x") and customdiff.ForceNewIfChange("x").
func mayReplace(r *schema.Resource, tfName string, files map[string]string) []string {
	if r.CustomizeDiff == nil || files[tfName] == "" {
		return nil
	}
	src, err := os.ReadFile(files[tfName])
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range forceNewCall.FindAllStringSubmatch(string(src), -1) {
		var path []string
		for _, seg := range strings.Split(m[1], ".") {
			if strings.Trim(seg, "0123456789") != "" { // a list index ("warm_throughput.0.x") is no field
				path = append(path, seg)
			}
		}
		out = append(out, camel(path))
	}
	return out
}

var sdkResource = regexp.MustCompile(`// @SDKResource\("([a-z0-9_]+)"`)

// resourceFiles maps each SDKv2 resource name to the file declaring it, in the Terraform AWS
// provider's module (the replacement the provider build uses) under GOMODCACHE.
func resourceFiles() map[string]string {
	out := map[string]string{}
	dirs, _ := filepath.Glob(os.Getenv("GOMODCACHE") + "/github.com/upbound/terraform-provider-aws@*/internal/service")
	if len(dirs) == 0 {
		fmt.Fprintln(os.Stderr, "replacements: no terraform-provider-aws module under GOMODCACHE: CustomizeDiff fields not read")
		return out
	}
	_ = filepath.WalkDir(dirs[len(dirs)-1], func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, _ := os.ReadFile(path)
		for _, m := range sdkResource.FindAllStringSubmatch(string(b), -1) {
			out[m[1]] = path
		}
		return nil
	})
	return out
}

// fwWalk walks a Plugin Framework schema value (attributes and blocks) by reflection:
// every attribute type has PlanModifiers, nested ones Attributes/Blocks/NestedObject.
func fwWalk(ctx context.Context, v reflect.Value, path []string, k *kind) {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	if pm := v.FieldByName("PlanModifiers"); pm.IsValid() && pm.Kind() == reflect.Slice && len(path) > 0 {
		for i := 0; i < pm.Len(); i++ {
			m, ok := pm.Index(i).Interface().(interface{ Description(context.Context) string })
			if !ok || !strings.Contains(strings.ToLower(fmt.Sprintf("%T", pm.Index(i).Interface())), "requiresreplace") {
				continue
			}
			if requiresReplace[m.Description(ctx)] {
				k.Replace = append(k.Replace, camel(path))
			} else {
				k.MayReplace = append(k.MayReplace, camel(path))
			}
		}
	}
	for _, f := range []string{"Attributes", "Blocks"} {
		m := v.FieldByName(f)
		if !m.IsValid() || m.Kind() != reflect.Map {
			continue
		}
		for _, key := range m.MapKeys() {
			fwWalk(ctx, m.MapIndex(key), append(append([]string{}, path...), key.String()), k)
		}
	}
	if no := v.FieldByName("NestedObject"); no.IsValid() {
		fwWalk(ctx, no, path, k)
	}
}

func sorted(s []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func main() {
	ctx := context.Background()
	fw, sdk, err := xpprovider.GetProvider(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "replacements:", err)
		os.Exit(1)
	}
	p, err := config.GetProviderNamespaced(ctx, fw, sdk, false, false)
	if err != nil {
		fmt.Fprintln(os.Stderr, "replacements:", err)
		os.Exit(1)
	}
	byKind := map[string]*ujconfig.Resource{}
	for _, r := range p.Resources {
		byKind[fmt.Sprintf("%s.%s/%s", r.ShortGroup, p.RootGroup, r.Kind)] = r
	}
	out := map[string]kind{}
	files := resourceFiles()
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		want := strings.TrimSpace(sc.Text())
		if want == "" {
			continue
		}
		r, ok := byKind[want]
		if !ok {
			fmt.Fprintf(os.Stderr, "replacements: no managed kind %s in provider-aws\n", want)
			os.Exit(1)
		}
		k := kind{Terraform: r.Name, Identifiers: r.ExternalName.IdentifierFields}
		if r.TerraformPluginFrameworkResource != nil {
			k.Framework = true
			var resp fwresource.SchemaResponse
			r.TerraformPluginFrameworkResource.Schema(ctx, fwresource.SchemaRequest{}, &resp)
			fwWalk(ctx, reflect.ValueOf(resp.Schema), nil, &k)
		} else if r.TerraformResource != nil {
			sdkWalk(r.TerraformResource.Schema, nil, &k)
			k.MayReplace = mayReplace(r.TerraformResource, r.Name, files)
		}
		k.Replace, k.MayReplace = sorted(k.Replace), sorted(k.MayReplace)
		k.Identifiers = sorted(k.Identifiers)
		for i, f := range k.Identifiers {
			k.Identifiers[i] = camel([]string{f})
		}
		out[want] = k
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "replacements:", err)
		os.Exit(1)
	}
}
