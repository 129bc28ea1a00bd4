namespace Kratix.Schema;

/// <summary>
/// The functions of the API server's CEL environment for CRD rules (k8s.io/apiserver pkg/cel/environment/base.go, v0.36.3):
/// cel-go's standard library with cross-type numeric comparisons and optional types, ext.Strings v2, ext.Sets,
/// ext.Lists v3, and the Kubernetes libraries (lists, regex, URLs, quantities, IPs, CIDRs, formats, semver). Overload ids
/// are cel-go's where the cost estimate tells them apart; the type checker only needs the signatures.
/// </summary>
internal static class CelDeclarations
{
    public static readonly Dictionary<string, List<CelOverload>> Functions = Build();

    private static Dictionary<string, List<CelOverload>> Build()
    {
        var d = new Dictionary<string, List<CelOverload>>(StringComparer.Ordinal);

        void Add(string fn, string id, bool member, string result, params string[] args)
        {
            var argTypes = args.Select(CheckType.Parse).ToList();
            var res = CheckType.Parse(result);
            var ps = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var t in argTypes.Append(res))
            {
                Collect(t, ps);
            }

            if (!d.TryGetValue(fn, out var list))
            {
                d[fn] = list = new List<CelOverload>();
            }

            list.Add(new CelOverload(id, member, argTypes, res, ps.ToList()));
        }

        void G(string fn, string id, string result, params string[] args) => Add(fn, id, false, result, args);
        void M(string fn, string id, string result, params string[] args) => Add(fn, id, true, result, args);

        // Operators.
        G("_?_:_", "conditional", "A", "bool", "A", "A");
        G("_&&_", "logical_and", "bool", "bool", "bool");
        G("_||_", "logical_or", "bool", "bool", "bool");
        G("!_", "logical_not", "bool", "bool");
        G("@not_strictly_false", "not_strictly_false", "bool", "bool");
        G("_==_", "equals", "bool", "A", "A");
        G("_!=_", "not_equals", "bool", "A", "A");
        G("-_", "negate_int64", "int", "int");
        G("-_", "negate_double", "double", "double");
        G("_+_", "add_int64", "int", "int", "int");
        G("_+_", "add_uint64", "uint", "uint", "uint");
        G("_+_", "add_double", "double", "double", "double");
        G("_+_", "add_string", "string", "string", "string");
        G("_+_", "add_bytes", "bytes", "bytes", "bytes");
        G("_+_", "add_list", "list(A)", "list(A)", "list(A)");
        G("_+_", "add_timestamp_duration", "timestamp", "timestamp", "duration");
        G("_+_", "add_duration_timestamp", "timestamp", "duration", "timestamp");
        G("_+_", "add_duration_duration", "duration", "duration", "duration");
        G("_-_", "subtract_int64", "int", "int", "int");
        G("_-_", "subtract_uint64", "uint", "uint", "uint");
        G("_-_", "subtract_double", "double", "double", "double");
        G("_-_", "subtract_timestamp_timestamp", "duration", "timestamp", "timestamp");
        G("_-_", "subtract_timestamp_duration", "timestamp", "timestamp", "duration");
        G("_-_", "subtract_duration_duration", "duration", "duration", "duration");
        foreach (var (op, name) in new[] { ("_*_", "multiply"), ("_/_", "divide") })
        {
            G(op, name + "_int64", "int", "int", "int");
            G(op, name + "_uint64", "uint", "uint", "uint");
            G(op, name + "_double", "double", "double", "double");
        }

        G("_%_", "modulo_int64", "int", "int", "int");
        G("_%_", "modulo_uint64", "uint", "uint", "uint");
        foreach (var (op, name) in new[] { ("_<_", "less"), ("_<=_", "less_equals"), ("_>_", "greater"), ("_>=_", "greater_equals") })
        {
            foreach (var t in new[] { ("bool", "bool"), ("int", "int64"), ("uint", "uint64"), ("double", "double"), ("string", "string"), ("bytes", "bytes"), ("timestamp", "timestamp"), ("duration", "duration") })
            {
                G(op, name + "_" + t.Item2, "bool", t.Item1, t.Item1);
            }

            // Cross-type numeric comparisons.
            G(op, name + "_int64_double", "bool", "int", "double");
            G(op, name + "_int64_uint64", "bool", "int", "uint");
            G(op, name + "_uint64_double", "bool", "uint", "double");
            G(op, name + "_uint64_int64", "bool", "uint", "int");
            G(op, name + "_double_int64", "bool", "double", "int");
            G(op, name + "_double_uint64", "bool", "double", "uint");
        }

        G("_[_]", "index_list", "A", "list(A)", "int");
        G("_[_]", "index_map", "B", "map(A, B)", "A");
        G("_[?_]", "list_optindex_optional_int", "optional_type(A)", "list(A)", "int");
        G("_[?_]", "optional_list_optindex_optional_int", "optional_type(A)", "optional_type(list(A))", "int");
        G("_[?_]", "map_optindex_optional_value", "optional_type(B)", "map(A, B)", "A");
        G("_[?_]", "optional_map_optindex_optional_value", "optional_type(B)", "optional_type(map(A, B))", "A");
        G("_[_]", "optional_list_index_int", "optional_type(A)", "optional_type(list(A))", "int");
        G("_[_]", "optional_map_index_value", "optional_type(B)", "optional_type(map(A, B))", "A");
        G("@in", "in_list", "bool", "A", "list(A)");
        G("@in", "in_map", "bool", "A", "map(A, B)");

        // size, conversions, type.
        G("size", "size_string", "int", "string");
        G("size", "size_bytes", "int", "bytes");
        G("size", "size_list", "int", "list(A)");
        G("size", "size_map", "int", "map(A, B)");
        M("size", "string_size", "int", "string");
        M("size", "bytes_size", "int", "bytes");
        M("size", "list_size", "int", "list(A)");
        M("size", "map_size", "int", "map(A, B)");
        foreach (var t in new[] { "int", "uint", "double", "string", "timestamp", "duration" })
        {
            G("int", t == "int" ? "int64_to_int64" : Short(t) + "_to_int64", "int", t);
        }

        foreach (var t in new[] { "int", "uint", "double", "string" })
        {
            G("uint", Short(t) + "_to_uint64", "uint", t);
            G("double", Short(t) + "_to_double", "double", t);
        }

        foreach (var t in new[] { "int", "uint", "double", "bool", "bytes", "string", "timestamp", "duration" })
        {
            G("string", Short(t) + "_to_string", "string", t);
        }

        G("bytes", "string_to_bytes", "bytes", "string");
        G("bytes", "bytes_to_bytes", "bytes", "bytes");
        G("bool", "bool_to_bool", "bool", "bool");
        G("bool", "string_to_bool", "bool", "string");
        G("duration", "string_to_duration", "duration", "string");
        G("duration", "duration_to_duration", "duration", "duration");
        G("timestamp", "string_to_timestamp", "timestamp", "string");
        G("timestamp", "int64_to_timestamp", "timestamp", "int");
        G("timestamp", "timestamp_to_timestamp", "timestamp", "timestamp");
        G("dyn", "to_dyn", "dyn", "A");
        G("type", "type", "type(A)", "A");

        // Strings.
        M("contains", "contains_string", "bool", "string", "string");
        M("endsWith", "ends_with_string", "bool", "string", "string");
        M("startsWith", "starts_with_string", "bool", "string", "string");
        M("matches", "matches_string", "bool", "string", "string");
        G("matches", "matches", "bool", "string", "string");

        // Timestamps and durations.
        foreach (var f in new[] { "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds" })
        {
            M(f, "timestamp_to_" + f, "int", "timestamp");
            M(f, "timestamp_to_" + f + "_with_tz", "int", "timestamp", "string");
        }

        foreach (var f in new[] { "getHours", "getMinutes", "getSeconds", "getMilliseconds" })
        {
            M(f, "duration_to_" + f, "int", "duration");
        }

        // ext.Strings v2.
        M("charAt", "string_char_at_int", "string", "string", "int");
        M("indexOf", "string_index_of_string", "int", "string", "string");
        M("indexOf", "string_index_of_string_int", "int", "string", "string", "int");
        M("lastIndexOf", "string_last_index_of_string", "int", "string", "string");
        M("lastIndexOf", "string_last_index_of_string_int", "int", "string", "string", "int");
        M("lowerAscii", "string_lower_ascii", "string", "string");
        M("upperAscii", "string_upper_ascii", "string", "string");
        M("replace", "string_replace_string_string", "string", "string", "string", "string");
        M("replace", "string_replace_string_string_int", "string", "string", "string", "string", "int");
        M("split", "string_split_string", "list(string)", "string", "string");
        M("split", "string_split_string_int", "list(string)", "string", "string", "int");
        M("substring", "string_substring_int", "string", "string", "int");
        M("substring", "string_substring_int_int", "string", "string", "int", "int");
        M("trim", "string_trim", "string", "string");
        M("join", "list_join", "string", "list(string)");
        M("join", "list_join_string", "string", "list(string)", "string");
        M("format", "string_format", "string", "string", "list(dyn)");
        M("reverse", "string_reverse", "string", "string");
        G("strings.quote", "strings_quote", "string", "string");

        // ext.Sets.
        G("sets.contains", "list_sets_contains_list", "bool", "list(A)", "list(A)");
        G("sets.equivalent", "list_sets_equivalent_list", "bool", "list(A)", "list(A)");
        G("sets.intersects", "list_sets_intersects_list", "bool", "list(A)", "list(A)");

        // ext.Lists v3.
        M("slice", "list_slice", "list(A)", "list(A)", "int", "int");
        M("flatten", "list_flatten", "list(A)", "list(list(A))");
        M("flatten", "list_flatten_int", "list(dyn)", "list(dyn)", "int");
        G("lists.range", "lists_range", "list(int)", "int");
        M("distinct", "list_distinct", "list(A)", "list(A)");
        M("reverse", "list_reverse", "list(A)", "list(A)");
        M("sort", "list_sort", "list(A)", "list(A)");
        M("first", "list_first", "optional_type(A)", "list(A)");
        M("last", "list_last", "optional_type(A)", "list(A)");

        // Kubernetes lists.
        M("isSorted", "list_is_sorted", "bool", "list(A)");
        M("sum", "list_sum", "A", "list(A)");
        M("min", "list_min", "A", "list(A)");
        M("max", "list_max", "A", "list(A)");
        M("indexOf", "list_a_index_of_int", "int", "list(A)", "A");
        M("lastIndexOf", "list_a_last_index_of_int", "int", "list(A)", "A");

        // Kubernetes regex.
        M("find", "string_find_string", "string", "string", "string");
        M("findAll", "string_find_all_string", "list(string)", "string", "string");
        M("findAll", "string_find_all_string_int", "list(string)", "string", "string", "int");

        // Kubernetes URLs.
        G("url", "string_to_url", "kubernetes.URL", "string");
        G("isURL", "is_url_string", "bool", "string");
        foreach (var f in new[] { "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath" })
        {
            M(f, "url_" + f, "string", "kubernetes.URL");
        }

        M("getQuery", "url_getQuery", "map(string, list(string))", "kubernetes.URL");

        // Kubernetes quantities.
        G("quantity", "string_to_quantity", "kubernetes.Quantity", "string");
        G("isQuantity", "is_quantity_string", "bool", "string");
        M("sign", "quantity_sign", "int", "kubernetes.Quantity");
        M("isInteger", "quantity_is_integer", "bool", "kubernetes.Quantity");
        M("asInteger", "quantity_as_integer", "int", "kubernetes.Quantity");
        M("asApproximateFloat", "quantity_as_float", "double", "kubernetes.Quantity");
        M("add", "quantity_add", "kubernetes.Quantity", "kubernetes.Quantity", "kubernetes.Quantity");
        M("add", "quantity_add_int", "kubernetes.Quantity", "kubernetes.Quantity", "int");
        M("sub", "quantity_sub", "kubernetes.Quantity", "kubernetes.Quantity", "kubernetes.Quantity");
        M("sub", "quantity_sub_int", "kubernetes.Quantity", "kubernetes.Quantity", "int");
        M("isLessThan", "quantity_less", "bool", "kubernetes.Quantity", "kubernetes.Quantity");
        M("isGreaterThan", "quantity_greater", "bool", "kubernetes.Quantity", "kubernetes.Quantity");
        M("compareTo", "quantity_compare_to", "int", "kubernetes.Quantity", "kubernetes.Quantity");

        // Kubernetes IPs and CIDRs.
        G("ip", "string_to_ip", "net.IP", "string");
        G("isIP", "is_ip", "bool", "string");
        G("ip.isCanonical", "ip_is_canonical", "bool", "string");
        G("string", "ip_to_string", "string", "net.IP");
        M("family", "ip_family", "int", "net.IP");
        foreach (var f in new[] { "isUnspecified", "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast" })
        {
            M(f, "ip_" + f, "bool", "net.IP");
        }

        G("cidr", "string_to_cidr", "net.CIDR", "string");
        G("isCIDR", "is_cidr", "bool", "string");
        G("string", "cidr_to_string", "string", "net.CIDR");
        M("containsIP", "cidr_contains_ip_string", "bool", "net.CIDR", "string");
        M("containsIP", "cidr_contains_ip_ip", "bool", "net.CIDR", "net.IP");
        M("containsCIDR", "cidr_contains_cidr_string", "bool", "net.CIDR", "string");
        M("containsCIDR", "cidr_contains_cidr", "bool", "net.CIDR", "net.CIDR");
        M("ip", "cidr_ip", "net.IP", "net.CIDR");
        M("masked", "cidr_masked", "net.CIDR", "net.CIDR");
        M("prefixLength", "cidr_prefix_length", "int", "net.CIDR");

        // Kubernetes formats.
        G("format.named", "format-named", "optional_type(kubernetes.NamedFormat)", "string");
        foreach (var f in CelFormats.Names)
        {
            G("format." + f, "format-" + f, "kubernetes.NamedFormat");
        }

        M("validate", "format-validate", "optional_type(list(string))", "kubernetes.NamedFormat", "string");

        // Kubernetes semver.
        G("semver", "string_to_semver", "kubernetes.Semver", "string");
        G("semver", "string_bool_to_semver", "kubernetes.Semver", "string", "bool");
        G("isSemver", "is_semver_string", "bool", "string");
        G("isSemver", "is_semver_string_bool", "bool", "string", "bool");
        M("major", "semver_major", "int", "kubernetes.Semver");
        M("minor", "semver_minor", "int", "kubernetes.Semver");
        M("patch", "semver_patch", "int", "kubernetes.Semver");
        M("isLessThan", "semver_less", "bool", "kubernetes.Semver", "kubernetes.Semver");
        M("isGreaterThan", "semver_greater", "bool", "kubernetes.Semver", "kubernetes.Semver");
        M("compareTo", "semver_compare_to", "int", "kubernetes.Semver", "kubernetes.Semver");

        // Optional types.
        G("optional.of", "optional_of", "optional_type(A)", "A");
        G("optional.ofNonZeroValue", "optional_ofNonZeroValue", "optional_type(A)", "A");
        G("optional.none", "optional_none", "optional_type(A)");
        M("value", "optional_value", "A", "optional_type(A)");
        M("hasValue", "optional_hasValue", "bool", "optional_type(A)");
        M("or", "optional_or_optional", "optional_type(A)", "optional_type(A)", "optional_type(A)");
        M("orValue", "optional_orValue_value", "A", "optional_type(A)", "A");
        return d;
    }

    private static string Short(string t) => t switch
    {
        "int" => "int64",
        "uint" => "uint64",
        _ => t,
    };

    private static void Collect(CheckType t, SortedSet<string> ps)
    {
        if (t.Kind == CelKind.TypeParam)
        {
            ps.Add(t.Name);
        }

        foreach (var p in t.Parameters)
        {
            Collect(p, ps);
        }
    }
}
