using System.Globalization;
using System.Text;
using Cel.Internal;

namespace Kratix.Schema;

/// <summary>
/// The static type check the API server makes on a CRD's rules (cel-go checker/checker.go and checker/types.go, v0.26,
/// with the declarations of the Kubernetes CEL environment): <c>self</c> (and <c>oldSelf</c>) typed from the schema, every
/// identifier, field and function resolved, and the errors worded as cel-go words them
/// (<c>ERROR: &lt;input&gt;:1:25: found no matching overload for 'startsWith' applied to 'int.(string)'</c>, then the
/// expression and a caret). The checked expression keeps each node's type and overloads for <see cref="CelCostEstimator"/>.
/// A construct the port does not know (a message literal, a macro it does not expand) makes <see cref="Checked.Unsupported"/>
/// true: such a rule is neither refused nor estimated.
/// </summary>
internal sealed class CelChecker
{
    private readonly Dictionary<int, CheckType> types = new();
    private readonly Dictionary<int, List<string>> overloads = new();
    private readonly List<(int Line, int Column, string Message)> errors = new();
    private readonly Dictionary<string, CheckType> variables;
    private readonly List<(string Name, CheckType Type)> locals = new();
    private Dictionary<string, CheckType> mapping = new(StringComparer.Ordinal);
    private int typeVars;
    private bool unsupported;

    private CelChecker(Dictionary<string, CheckType> variables) => this.variables = variables;

    /// <summary>The result of checking one expression.</summary>
    internal sealed class Checked
    {
        public required CelExpr Expr { get; init; }

        public required IReadOnlyDictionary<int, CheckType> Types { get; init; }

        public required IReadOnlyDictionary<int, List<string>> Overloads { get; init; }

        /// <summary>cel-go's issues.String(), or null when the expression checks.</summary>
        public string? Errors { get; init; }

        public bool Unsupported { get; init; }

        public bool UsesOldSelf { get; init; }

        public CheckType ResultType => Types.TryGetValue(Expr.Id, out var t) ? t : CheckType.Dyn;
    }

    /// <summary>Parses and checks <paramref name="source"/>; null when it does not parse (the syntax error is reported elsewhere).</summary>
    public static Checked? Check(string source, Dictionary<string, CheckType> variables)
    {
        CelExpr expr;
        try
        {
            var start = CelLibrary.ParseTree(source);
            if (start is null)
            {
                return null;
            }

            expr = CelAstBuilder.Build(start);
        }
        catch (CelParseException ex)
        {
            return new Checked
            {
                Expr = new CelLiteral(true),
                Types = new Dictionary<int, CheckType>(),
                Overloads = new Dictionary<int, List<string>>(),
                Errors = FormatError(source, ex.Line, ex.Column, ex.Message),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Checked { Expr = new CelLiteral(true), Types = new Dictionary<int, CheckType>(), Overloads = new Dictionary<int, List<string>>(), Unsupported = true };
        }

        var c = new CelChecker(variables);
        c.Visit(expr);
        var finalTypes = c.types.ToDictionary(kv => kv.Key, kv => c.Substitute(kv.Value, toDyn: true));
        string? errorText = null;
        if (c.errors.Count > 0)
        {
            errorText = string.Join("\n", c.errors
                .OrderBy(e => e.Line).ThenBy(e => e.Column)
                .Select(e => FormatError(source, e.Line, e.Column, e.Message)));
        }

        return new Checked
        {
            Expr = expr,
            Types = finalTypes,
            Overloads = c.overloads,
            Errors = errorText,
            Unsupported = c.unsupported,
            UsesOldSelf = UsesIdent(expr, "oldSelf"),
        };
    }

    private static bool UsesIdent(CelExpr e, string name) => e switch
    {
        CelIdent i => i.Name == name,
        CelSelect s => UsesIdent(s.Operand, name),
        CelCall c => (c.Target is not null && UsesIdent(c.Target, name)) || c.Args.Any(a => UsesIdent(a, name)),
        CelCreateList l => l.Elements.Any(x => UsesIdent(x, name)),
        CelCreateMap m => m.Entries.Any(x => UsesIdent(x.Key, name) || UsesIdent(x.Value, name)),
        CelCreateStruct s => s.Fields.Any(x => UsesIdent(x.Value, name)),
        CelComprehension c => UsesIdent(c.IterRange, name) || UsesIdent(c.AccuInit, name) || UsesIdent(c.LoopCondition, name) || UsesIdent(c.LoopStep, name) || UsesIdent(c.Result, name),
        _ => false,
    };

    /// <summary>One cel-go error: <c>ERROR: &lt;input&gt;:line:col: message</c>, the source line and a caret under the column.</summary>
    public static string FormatError(string source, int line, int column, string message)
    {
        string[] lines = source.Split('\n');
        string text = line - 1 < lines.Length && line >= 1 ? lines[line - 1] : string.Empty;
        var sb = new StringBuilder("ERROR: <input>:")
            .Append(line.ToString(CultureInfo.InvariantCulture)).Append(':')
            .Append((column + 1).ToString(CultureInfo.InvariantCulture)).Append(": ").Append(message)
            .Append("\n | ").Append(text).Append("\n | ");
        for (int i = 0; i < column && i < text.Length; i++)
        {
            sb.Append(text[i] == '\t' ? '\t' : '.');
        }

        return sb.Append('^').ToString();
    }

    private void Error(CelExpr e, string message) => errors.Add((e.Line, e.Column, message));

    private void SetType(CelExpr e, CheckType t) => types[e.Id] = t;

    private CheckType TypeOf(CelExpr e) => types.TryGetValue(e.Id, out var t) ? t : CheckType.Dyn;

    private CheckType NewTypeVar() => CheckType.Param("_var" + (typeVars++).ToString(CultureInfo.InvariantCulture));

    private void Visit(CelExpr e)
    {
        switch (e)
        {
            case CelLiteral lit:
                SetType(e, lit.Value switch
                {
                    long => CheckType.Int,
                    ulong => CheckType.Uint,
                    double => CheckType.Double,
                    string => CheckType.String,
                    byte[] => CheckType.Bytes,
                    bool => CheckType.Bool,
                    _ => CheckType.Null,
                });
                break;
            case CelIdent id:
                SetType(e, LookupIdent(id.Name) ?? ReportUndeclared(e, id.Name));
                break;
            case CelSelect sel:
                VisitSelect(sel);
                break;
            case CelCall call:
                VisitCall(call);
                break;
            case CelCreateList list:
                {
                    CheckType? elems = null;
                    for (int i = 0; i < list.Elements.Count; i++)
                    {
                        var x = list.Elements[i];
                        Visit(x);
                        var t = TypeOf(x);
                        if (list.OptionalIndices.Contains(i))
                        {
                            if (t.IsOptional)
                            {
                                t = t.Parameters[0];
                            }
                            else if (t.Kind != CelKind.Dyn)
                            {
                                Error(x, "expected type '" + CheckType.Optional(t) + "' but found '" + t + "'");
                            }
                        }

                        elems = Join(x, elems, t);
                    }

                    SetType(e, CheckType.List(elems ?? NewTypeVar()));
                    break;
                }

            case CelCreateMap map:
                {
                    CheckType? keys = null, values = null;
                    foreach (var (k, v, optional) in map.Entries)
                    {
                        Visit(k);
                        keys = Join(k, keys, TypeOf(k));
                        Visit(v);
                        var vt = TypeOf(v);
                        if (optional)
                        {
                            if (vt.IsOptional)
                            {
                                vt = vt.Parameters[0];
                            }
                            else if (vt.Kind != CelKind.Dyn)
                            {
                                Error(v, "expected type '" + CheckType.Optional(vt) + "' but found '" + vt + "'");
                            }
                        }

                        values = Join(v, values, vt);
                    }

                    SetType(e, CheckType.Map(keys ?? NewTypeVar(), values ?? NewTypeVar()));
                    break;
                }

            case CelCreateStruct:
                unsupported = true;
                SetType(e, CheckType.Dyn);
                break;
            case CelComprehension comp:
                VisitComprehension(comp);
                break;
        }
    }

    private CheckType ReportUndeclared(CelExpr e, string name)
    {
        Error(e, "undeclared reference to '" + name + "' (in container '')");
        return CheckType.Error;
    }

    private CheckType? LookupIdent(string name)
    {
        for (int i = locals.Count - 1; i >= 0; i--)
        {
            if (locals[i].Name == name)
            {
                return locals[i].Type;
            }
        }

        if (variables.TryGetValue(name, out var v))
        {
            return v;
        }

        return name switch
        {
            "int" => CheckType.TypeOf(CheckType.Int),
            "uint" => CheckType.TypeOf(CheckType.Uint),
            "double" => CheckType.TypeOf(CheckType.Double),
            "bool" => CheckType.TypeOf(CheckType.Bool),
            "string" => CheckType.TypeOf(CheckType.String),
            "bytes" => CheckType.TypeOf(CheckType.Bytes),
            "list" => CheckType.TypeOf(CheckType.List(CheckType.Dyn)),
            "map" => CheckType.TypeOf(CheckType.Map(CheckType.Dyn, CheckType.Dyn)),
            "null_type" => CheckType.TypeOf(CheckType.Null),
            "type" => CheckType.TypeOf(CheckType.TypeType),
            "dyn" => CheckType.TypeOf(CheckType.Dyn),
            "google.protobuf.Duration" => CheckType.TypeOf(CheckType.Duration),
            "google.protobuf.Timestamp" => CheckType.TypeOf(CheckType.Timestamp),
            _ => null,
        };
    }

    /// <summary>containers.ToQualifiedName: <c>a.b.c</c> when the expression is only identifiers and selections.</summary>
    private static string? QualifiedName(CelExpr e) => e switch
    {
        CelIdent i => i.Name,
        CelSelect { TestOnly: false, Optional: false } s when QualifiedName(s.Operand) is { } q => q + "." + s.Field,
        _ => null,
    };

    private void VisitSelect(CelSelect sel)
    {
        if (!sel.TestOnly && !sel.Optional && QualifiedName(sel) is { } qname && LookupIdent(qname) is { } qt && qname.Contains('.'))
        {
            SetType(sel, qt);
            return;
        }

        Visit(sel.Operand);
        var operand = Substitute(TypeOf(sel.Operand), toDyn: false);
        bool isOpt = operand.IsOptional;
        var target = isOpt ? operand.Parameters[0] : operand;
        CheckType result;
        switch (target.Kind)
        {
            case CelKind.Map:
                result = target.Parameters[1];
                break;
            case CelKind.Struct:
                // Fields are declared by their escaped names; cel-go 0.26 also reads a reserved word unescaped (self.namespace).
                if (target.Fields is not null && (target.Fields.TryGetValue(sel.Field, out var ft)
                    || (CelDeclTypes.Escape(sel.Field) is { } escaped && target.Fields.TryGetValue(escaped, out ft))))
                {
                    result = ft;
                }
                else
                {
                    Error(sel, "undefined field '" + sel.Field + "'");
                    result = CheckType.Error;
                }

                break;
            case CelKind.TypeParam:
                result = CheckType.Dyn;
                break;
            default:
                if (!target.IsDynOrError)
                {
                    Error(sel, "type '" + target + "' does not support field selection");
                }

                result = CheckType.Dyn;
                break;
        }

        if (isOpt || sel.Optional)
        {
            result = CheckType.Optional(result);
        }

        if (sel.TestOnly)
        {
            result = CheckType.Bool;
        }

        SetType(sel, Substitute(result, toDyn: false));
    }

    private void VisitCall(CelCall call)
    {
        foreach (var a in call.Args)
        {
            Visit(a);
        }

        if (call.Target is null)
        {
            if (!CelDeclarations.Functions.TryGetValue(call.Function, out var fn))
            {
                Error(call, "undeclared reference to '" + call.Function + "' (in container '')");
                SetType(call, CheckType.Error);
                return;
            }

            Resolve(call, call.Function, fn, null);
            return;
        }

        if (QualifiedName(call.Target) is { } prefix && CelDeclarations.Functions.TryGetValue(prefix + "." + call.Function, out var qfn)
            && LookupIdent(prefix.Split('.')[0]) is null)
        {
            Resolve(call, prefix + "." + call.Function, qfn, null);
            return;
        }

        Visit(call.Target);
        if (CelDeclarations.Functions.TryGetValue(call.Function, out var mfn))
        {
            Resolve(call, call.Function, mfn, call.Target);
            return;
        }

        SetType(call, CheckType.Error);
        Error(call, "undeclared reference to '" + call.Function + "' (in container '')");
    }

    private void Resolve(CelCall call, string name, List<CelOverload> fn, CelExpr? target)
    {
        var argTypes = new List<CheckType>();
        if (target is not null)
        {
            argTypes.Add(TypeOf(target));
        }

        argTypes.AddRange(call.Args.Select(TypeOf));
        CheckType? result = null;
        var ids = new List<string>();
        foreach (var o in fn)
        {
            if ((target is null) == o.Member)
            {
                continue;
            }

            if (name is "_&&_" or "_||_")
            {
                bool bad = false;
                for (int i = 0; i < argTypes.Count; i++)
                {
                    if (!IsAssignable(argTypes[i], CheckType.Bool))
                    {
                        Error(call.Args[i], "expected type 'bool' but found '" + Substitute(argTypes[i], true) + "'");
                        bad = true;
                    }
                }

                overloads[call.Id] = [o.Id];
                SetType(call, bad ? CheckType.Error : CheckType.Bool);
                return;
            }

            var subs = new Dictionary<string, CheckType>(StringComparer.Ordinal);
            foreach (var p in o.TypeParams)
            {
                subs[p] = NewTypeVar();
            }

            var args = o.Args.Select(a => Rename(a, subs)).ToList();
            var res = Rename(o.Result, subs);
            if (args.Count != argTypes.Count)
            {
                continue;
            }

            var trial = new Dictionary<string, CheckType>(mapping, StringComparer.Ordinal);
            var saved = mapping;
            mapping = trial;
            bool ok = true;
            for (int i = 0; i < args.Count && ok; i++)
            {
                ok = IsAssignable(argTypes[i], args[i]);
            }

            if (!ok)
            {
                mapping = saved;
                continue;
            }

            ids.Add(o.Id);
            var fnResult = Substitute(res, toDyn: false);
            if (result is null)
            {
                result = fnResult;
            }
            else if (result.Kind != CelKind.Dyn && !fnResult.IsExactType(result))
            {
                result = CheckType.Dyn;
            }
        }

        if (result is null)
        {
            var shown = argTypes.Select(t => Substitute(t, toDyn: true).ToString()).ToList();
            string sig = target is not null ? shown[0] + ".(" + string.Join(", ", shown.Skip(1)) + ")" : "(" + string.Join(", ", shown) + ")";
            Error(call, "found no matching overload for '" + name + "' applied to '" + sig + "'");
            SetType(call, CheckType.Error);
            return;
        }

        overloads[call.Id] = ids;
        SetType(call, result);
    }

    private void VisitComprehension(CelComprehension comp)
    {
        Visit(comp.IterRange);
        Visit(comp.AccuInit);
        var accuType = TypeOf(comp.AccuInit);
        var rangeType = Substitute(TypeOf(comp.IterRange), toDyn: false);
        CheckType var1, var2 = CheckType.Dyn;
        switch (rangeType.Kind)
        {
            case CelKind.List:
                var1 = comp.IterVar2 is null ? rangeType.Parameters[0] : CheckType.Int;
                var2 = rangeType.Parameters[0];
                break;
            case CelKind.Map:
                var1 = rangeType.Parameters[0];
                var2 = rangeType.Parameters[1];
                break;
            case CelKind.Dyn or CelKind.Error or CelKind.TypeParam:
                var1 = CheckType.Dyn;
                break;
            default:
                Error(comp.IterRange, "expression of type '" + rangeType + "' cannot be range of a comprehension (must be list, map, or dynamic)");
                var1 = CheckType.Dyn;
                break;
        }

        locals.Add((comp.AccuVar, accuType));
        locals.Add((comp.IterVar, var1));
        if (comp.IterVar2 is not null)
        {
            locals.Add((comp.IterVar2, var2));
        }

        Visit(comp.LoopCondition);
        Assert(comp.LoopCondition, CheckType.Bool);
        Visit(comp.LoopStep);
        Assert(comp.LoopStep, accuType);
        locals.RemoveAt(locals.Count - 1);
        if (comp.IterVar2 is not null)
        {
            locals.RemoveAt(locals.Count - 1);
        }

        Visit(comp.Result);
        locals.RemoveAt(locals.Count - 1);
        SetType(comp, Substitute(TypeOf(comp.Result), toDyn: false));
    }

    private void Assert(CelExpr e, CheckType t)
    {
        var actual = TypeOf(e);
        if (!IsAssignable(actual, t))
        {
            Error(e, "expected type '" + Substitute(t, true) + "' but found '" + Substitute(actual, true) + "'");
        }
    }

    private CheckType Join(CelExpr e, CheckType? previous, CheckType current)
    {
        if (previous is null)
        {
            return current;
        }

        var saved = new Dictionary<string, CheckType>(mapping, StringComparer.Ordinal);
        if (IsAssignable(previous, current))
        {
            return MostGeneral(previous, current);
        }

        mapping = saved;
        Error(e, "expected type '" + Substitute(previous, true) + "' but found '" + Substitute(current, true) + "'");
        return CheckType.Error;
    }

    private static CheckType Rename(CheckType t, Dictionary<string, CheckType> subs)
    {
        if (t.Kind == CelKind.TypeParam)
        {
            return subs.TryGetValue(t.Name, out var s) ? s : t;
        }

        if (t.Parameters.Length == 0)
        {
            return t;
        }

        return Rebuild(t, t.Parameters.Select(p => Rename(p, subs)).ToArray());
    }

    private static CheckType Rebuild(CheckType t, CheckType[] ps) => t.Kind switch
    {
        CelKind.List => CheckType.List(ps[0]),
        CelKind.Map => CheckType.Map(ps[0], ps[1]),
        CelKind.Type => CheckType.TypeOf(ps[0]),
        _ => new CheckType(t.Kind, t.Name, ps) { Fields = t.Fields, MaxElements = t.MaxElements, MinSerializedSize = t.MinSerializedSize },
    };

    private CheckType Substitute(CheckType t, bool toDyn)
    {
        if (t.Kind == CelKind.TypeParam)
        {
            if (mapping.TryGetValue(t.Name, out var s))
            {
                return Substitute(s, toDyn);
            }

            return toDyn ? CheckType.Dyn : t;
        }

        if (t.Parameters.Length == 0)
        {
            return t;
        }

        var ps = t.Parameters.Select(p => Substitute(p, toDyn)).ToArray();
        if (ps.Zip(t.Parameters).All(x => ReferenceEquals(x.First, x.Second)))
        {
            return t;
        }

        var rebuilt = Rebuild(t, ps);
        rebuilt.MaxElements = t.MaxElements;
        rebuilt.MinSerializedSize = t.MinSerializedSize;
        return rebuilt;
    }

    // checker/types.go

    private static bool IsEqualOrLessSpecific(CheckType t1, CheckType t2)
    {
        if (t1.Kind is CelKind.Dyn or CelKind.TypeParam)
        {
            return true;
        }

        if (t2.Kind is CelKind.Dyn or CelKind.TypeParam)
        {
            return false;
        }

        if (t1.Kind != t2.Kind)
        {
            return false;
        }

        switch (t1.Kind)
        {
            case CelKind.Opaque:
                if (t1.Name != t2.Name || t1.Parameters.Length != t2.Parameters.Length)
                {
                    return false;
                }

                for (int i = 0; i < t1.Parameters.Length; i++)
                {
                    if (!IsEqualOrLessSpecific(t1.Parameters[i], t2.Parameters[i]))
                    {
                        return false;
                    }
                }

                return true;
            case CelKind.List:
                return IsEqualOrLessSpecific(t1.Parameters[0], t2.Parameters[0]);
            case CelKind.Map:
                return IsEqualOrLessSpecific(t1.Parameters[0], t2.Parameters[0]) && IsEqualOrLessSpecific(t1.Parameters[1], t2.Parameters[1]);
            case CelKind.Type:
                return true;
            default:
                return t1.IsExactType(t2);
        }
    }

    private static CheckType MostGeneral(CheckType t1, CheckType t2) => IsEqualOrLessSpecific(t1, t2) ? t1 : t2;

    private bool IsAssignable(CheckType t1, CheckType t2)
    {
        if (t2.Kind == CelKind.TypeParam)
        {
            var (valid, hasSub) = ValidSubstitution(t1, t2);
            if (valid)
            {
                return true;
            }

            if (hasSub)
            {
                return false;
            }
        }

        if (t1.Kind == CelKind.TypeParam)
        {
            return ValidSubstitution(t2, t1).Valid;
        }

        if (t1.IsDynOrError || t2.IsDynOrError)
        {
            return true;
        }

        if (t1.Kind == CelKind.Null)
        {
            return AssignableNull(t2);
        }

        if (t2.Kind == CelKind.Null)
        {
            return AssignableNull(t1);
        }

        switch (t1.Kind)
        {
            case CelKind.Bool or CelKind.Bytes or CelKind.Double or CelKind.Int or CelKind.String or CelKind.Uint
                or CelKind.Duration or CelKind.Timestamp or CelKind.Struct:
                return t1.Kind == t2.Kind && t1.Name == t2.Name;
            case CelKind.Type:
                return t2.Kind == CelKind.Type;
            case CelKind.Opaque or CelKind.List or CelKind.Map:
                if (t1.Kind != t2.Kind || t1.Name != t2.Name || t1.Parameters.Length != t2.Parameters.Length)
                {
                    return false;
                }

                for (int i = 0; i < t1.Parameters.Length; i++)
                {
                    if (!IsAssignable(t1.Parameters[i], t2.Parameters[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static bool AssignableNull(CheckType t) =>
        t.Kind is CelKind.Opaque or CelKind.Struct or CelKind.Duration or CelKind.Timestamp or CelKind.Null or CelKind.Dyn;

    private (bool Valid, bool HasSub) ValidSubstitution(CheckType t1, CheckType t2)
    {
        if (t1.Kind == t2.Kind && t1.IsExactType(t2))
        {
            return (true, true);
        }

        if (mapping.TryGetValue(t2.Name, out var t2Sub))
        {
            if (t1.Kind == t2Sub.Kind && t1.IsExactType(t2Sub))
            {
                return (true, true);
            }

            if (IsAssignable(t1, t2Sub))
            {
                var t2New = MostGeneral(t1, t2Sub);
                if (NotReferencedIn(t2, t2New))
                {
                    mapping[t2.Name] = t2New;
                }

                return (true, true);
            }

            return (false, true);
        }

        if (NotReferencedIn(t2, t1))
        {
            mapping[t2.Name] = t1;
            return (true, false);
        }

        return (false, false);
    }

    private bool NotReferencedIn(CheckType t, CheckType within)
    {
        if (t.IsExactType(within))
        {
            return false;
        }

        switch (within.Kind)
        {
            case CelKind.TypeParam:
                return !mapping.TryGetValue(within.Name, out var sub) || NotReferencedIn(t, sub);
            case CelKind.Opaque or CelKind.List or CelKind.Map or CelKind.Type:
                return within.Parameters.All(p => NotReferencedIn(t, p));
            default:
                return true;
        }
    }
}

/// <summary>One overload of a CEL function: its cel-go id, whether it is called on a receiver, argument and result types.</summary>
internal sealed record CelOverload(string Id, bool Member, IReadOnlyList<CheckType> Args, CheckType Result, IReadOnlyList<string> TypeParams);
