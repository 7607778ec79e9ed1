// Generates compile-only C# declarations of a selected part of FluentMigrator's API by reflection.
// Usage (from the repository root):
//   dotnet run --project build/tools/fm-reference-gen -- build/ThirdPartyReference/fluentmigrator-selection.txt build/ThirdPartyReference
// Selection lines: "<full type name> [member names... | * | .ctor | -excluded member name]"; types used by selected
// signatures are added without members.
using System.Reflection;
using System.Text;

var asms = new[] { typeof(FluentMigrator.MigrationAttribute).Assembly, typeof(FluentMigrator.Migration).Assembly };
var F = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
var sel = new Dictionary<Type, HashSet<string>>(); // type -> member names ("*" = all)
foreach (var raw in File.ReadAllLines(args[0]))
{
    var line = raw.Trim();
    if (line.Length == 0 || line.StartsWith("#")) continue;
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var t = asms.Select(a => a.GetType(parts[0])).FirstOrDefault(x => x != null) ?? throw new Exception("unknown type " + parts[0]);
    if (!sel.TryGetValue(t, out var set)) sel[t] = set = new HashSet<string>();
    foreach (var m in parts.Skip(1)) set.Add(m);
}
bool Visible(MethodBase m) => m != null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);
bool InFm(Type t) => asms.Contains(t.Assembly);
bool Wanted(Type t, MemberInfo m) => sel.TryGetValue(t, out var s) && !s.Contains("-" + m.Name) && (s.Contains("*") || s.Contains(m.Name) || (m is ConstructorInfo && s.Contains(".ctor")));

IEnumerable<MethodInfo> SelMethods(Type t) => t.GetMethods(F).Where(m => !m.IsSpecialName && Visible(m) && Wanted(t, m) && !m.Name.Contains('.'));
IEnumerable<PropertyInfo> SelProps(Type t) => t.GetProperties(F).Where(p => Visible(p.GetMethod ?? p.SetMethod) && Wanted(t, p) && !p.Name.Contains('.'));
IEnumerable<ConstructorInfo> SelCtors(Type t) => t.GetConstructors(F).Where(c => !c.IsStatic && Visible(c) && Wanted(t, c));

// closure: every FluentMigrator type used by a selected signature or base list
var queue = new Queue<Type>(sel.Keys);
void Use(Type t)
{
    if (t.IsByRef || t.IsArray || t.IsPointer) { Use(t.GetElementType()); return; }
    if (t.IsGenericParameter) return;
    if (t.IsGenericType && !t.IsGenericTypeDefinition) { foreach (var a in t.GetGenericArguments()) Use(a); Use(t.GetGenericTypeDefinition()); return; }
    if (!InFm(t)) return;
    if (!sel.ContainsKey(t)) { sel[t] = new HashSet<string>(t.IsEnum ? new[] { "*" } : Array.Empty<string>()); queue.Enqueue(t); Console.Error.WriteLine("  + " + t.FullName); }
}
while (queue.Count > 0)
{
    var t = queue.Dequeue();
    foreach (var m in SelMethods(t)) { Use(m.ReturnType); foreach (var p in m.GetParameters()) Use(p.ParameterType); }
    foreach (var p in SelProps(t)) Use(p.PropertyType);
    foreach (var c in SelCtors(t)) foreach (var p in c.GetParameters()) Use(p.ParameterType);
    if (t.BaseType != null && InFm(t.BaseType) && sel.ContainsKey(t.BaseType.IsGenericType ? t.BaseType.GetGenericTypeDefinition() : t.BaseType)) Use(t.BaseType);
}

var kw = new Dictionary<Type, string> { [typeof(void)] = "void", [typeof(string)] = "string", [typeof(object)] = "object", [typeof(bool)] = "bool", [typeof(int)] = "int", [typeof(long)] = "long", [typeof(short)] = "short", [typeof(byte)] = "byte", [typeof(double)] = "double", [typeof(float)] = "float", [typeof(decimal)] = "decimal", [typeof(char)] = "char", [typeof(uint)] = "uint", [typeof(ulong)] = "ulong" };
string N(Type t)
{
    if (t.IsByRef) return N(t.GetElementType());
    if (t.IsArray) return N(t.GetElementType()) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
    if (t.IsGenericParameter) return t.Name;
    if (kw.TryGetValue(t, out var k)) return k;
    if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Nullable<>)) return N(t.GetGenericArguments()[0]) + "?";
    var name = t.Name.Split('`')[0];
    var prefix = t.IsNested ? N(t.DeclaringType) + "." : "global::" + t.Namespace + ".";
    if (t.IsGenericType) name += "<" + string.Join(", ", t.GetGenericArguments().Skip(t.IsNested ? t.DeclaringType.GetGenericArguments().Length : 0).Select(N)) + ">";
    return prefix + name;
}
string Lit(object v, Type t)
{
    if (t.IsByRef) t = t.GetElementType();
    if (v == null) return t.IsValueType ? "default" : "null";
    if (t.IsEnum) return $"({N(t)}){Convert.ToInt64(v)}";
    return v switch { string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"", bool b => b ? "true" : "false", long l => l + "L", double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture) + "d", _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) };
}
string Params(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
    (p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "") + (p.ParameterType.IsByRef ? (p.IsOut ? "out " : p.IsIn ? "in " : "ref ") : "") +
    N(p.ParameterType) + " " + p.Name + (p.HasDefaultValue ? " = " + Lit(p.RawDefaultValue, p.ParameterType) : "")));
string Generics(MethodInfo m) => m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";
string Constraints(Type[] gps)
{
    var sb = new StringBuilder();
    foreach (var g in gps)
    {
        var cs = new List<string>();
        var a = g.GenericParameterAttributes;
        if (a.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint)) cs.Add("class");
        if (a.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) cs.Add("struct");
        cs.AddRange(g.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(N));
        if (a.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !a.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint)) cs.Add("new()");
        if (cs.Count > 0) sb.Append($" where {g.Name} : {string.Join(", ", cs)}");
    }
    return sb.ToString();
}
string Acc(MethodBase m) => m.IsPublic ? "public" : "protected";
const string Throw = "throw new global::System.NotSupportedException()";

string MethodMods(MethodInfo m, Type t)
{
    if (t.IsInterface) return "";
    var mods = Acc(m) + " ";
    if (m.IsStatic) return mods + "static ";
    var bd = m.GetBaseDefinition();
    bool isOverride = bd.DeclaringType != m.DeclaringType;
    if (isOverride && sel.ContainsKey(bd.DeclaringType) && (sel[bd.DeclaringType].Contains(m.Name) || sel[bd.DeclaringType].Contains("*")))
        return mods + (m.IsFinal ? "sealed override " : "override ");
    if (m.IsAbstract) return mods + "abstract ";
    if (m.IsVirtual && !m.IsFinal) return mods + "virtual ";
    return mods;
}

// The real public key (PublicSign with it gives the real public key token aacfc7de5acabf05).
File.WriteAllBytes(Path.Combine(args[1], "FluentMigrator.publickey"), asms[0].GetName().GetPublicKey());
foreach (var asm in asms)
{
    var name = asm.GetName().Name;
    var sb = new StringBuilder();
    sb.AppendLine($"// Compile-only reference of the part of {name} 7.x that nopCommerce 4.90 and this plugin use.");
    sb.AppendLine("// Generated by build/tools/fm-reference-gen from build/ThirdPartyReference/fluentmigrator-selection.txt, by reflection over");
    sb.AppendLine($"// the FluentMigrator 8.0.1 package (same signatures as 7.1.0). Edit the selection, not this file. No behaviour: nopCommerce");
    sb.AppendLine("// ships the real FluentMigrator 7.1.0 and the plugin binds to it at run time.");
    sb.AppendLine("#pragma warning disable CS0108, CS0114, CS1591, CS8597");
    foreach (var g in sel.Keys.Where(t => t.Assembly == asm && !t.IsNested).GroupBy(t => t.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        sb.AppendLine().AppendLine($"namespace {g.Key}").AppendLine("{");
        foreach (var t in g.OrderBy(t => t.Name, StringComparer.Ordinal)) EmitType(sb, t, "    ");
        sb.AppendLine("}");
    }
    Directory.CreateDirectory(Path.Combine(args[1], name));
    File.WriteAllText(Path.Combine(args[1], name, name + ".g.cs"), sb.ToString().Replace("\r\n", "\n"));
}

void EmitType(StringBuilder sb, Type t, string ind)
{
    foreach (var ca in t.CustomAttributesData())
        if (ca.AttributeType == typeof(AttributeUsageAttribute))
        {
            var s = $"[global::System.AttributeUsage((global::System.AttributeTargets){Convert.ToInt64(ca.ConstructorArguments[0].Value)}";
            foreach (var na in ca.NamedArguments) s += $", {na.MemberName} = {Lit(na.TypedValue.Value, na.TypedValue.ArgumentType)}";
            sb.AppendLine(ind + s + ")]");
        }
    var simple = t.Name.Split('`')[0];
    var gps = t.IsGenericTypeDefinition ? t.GetGenericArguments() : Array.Empty<Type>();
    var gen = gps.Length > 0 ? "<" + string.Join(", ", gps.Select(g => (g.GenericParameterAttributes.HasFlag(GenericParameterAttributes.Covariant) ? "out " : g.GenericParameterAttributes.HasFlag(GenericParameterAttributes.Contravariant) ? "in " : "") + g.Name)) + ">" : "";
    if (t.IsEnum)
    {
        sb.AppendLine($"{ind}public enum {simple} : {N(Enum.GetUnderlyingType(t))}").AppendLine(ind + "{");
        foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Static)) sb.AppendLine($"{ind}    {f.Name} = {Convert.ToInt64(f.GetRawConstantValue())},");
        sb.AppendLine(ind + "}");
        return;
    }
    var bases = new List<string>();
    if (!t.IsInterface && t.BaseType != null && t.BaseType != typeof(object))
    {
        var bt = t.BaseType.IsGenericType ? t.BaseType.GetGenericTypeDefinition() : t.BaseType;
        if (!InFm(bt) || sel.ContainsKey(bt)) bases.Add(N(t.BaseType));
    }
    var ifaces = t.GetInterfaces().Where(i => sel.ContainsKey(i.IsGenericType ? i.GetGenericTypeDefinition() : i)).ToList();
    if (t.BaseType != null && !t.IsInterface) ifaces = ifaces.Where(i => !t.BaseType.GetInterfaces().Contains(i) || !bases.Any()).ToList();
    bases.AddRange(ifaces.Select(N));
    string kind = t.IsInterface ? "interface" : t.IsValueType ? "struct" : "class";
    string mods = t.IsInterface ? "" : t.IsAbstract && t.IsSealed ? "static " : t.IsAbstract ? "abstract " : t.IsSealed && !t.IsValueType ? "sealed " : "";
    sb.AppendLine($"{ind}public {mods}{kind} {simple}{gen}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}{Constraints(gps)}").AppendLine(ind + "{");
    var mi = ind + "    ";
    var emitted = new HashSet<MethodInfo>();
    if (!t.IsInterface)
    {
        var ctors = SelCtors(t).ToList();
        var name0 = simple;
        foreach (var c in ctors) sb.AppendLine($"{mi}{Acc(c)} {name0}({Params(c)}){BaseCall(t)} {{ }}");
        if (ctors.Count == 0) sb.AppendLine($"{mi}internal {name0}(){BaseCall(t)} {{ }}");
    }
    foreach (var p in SelProps(t).OrderBy(p => p.Name, StringComparer.Ordinal))
    {
        var g = p.GetMethod; var s = p.SetMethod;
        if (g != null && !Visible(g)) g = null; if (s != null && !Visible(s)) s = null;
        var main = g ?? s;
        if (t.IsInterface) { sb.AppendLine($"{mi}{N(p.PropertyType)} {p.Name} {{ {(g != null ? "get; " : "")}{(s != null ? "set; " : "")}}}"); continue; }
        var pm = MethodMods(main, t);
        string acc(MethodInfo a, string kw2) => (Acc(a) != Acc(main) ? Acc(a) + " " : "") + kw2 + (main.IsAbstract ? ";" : $" => {Throw};");
        sb.AppendLine($"{mi}{pm}{N(p.PropertyType)} {p.Name} {{ {(g != null ? acc(g, "get") + " " : "")}{(s != null ? acc(s, "set") + " " : "")}}}");
        if (g != null) emitted.Add(g); if (s != null) emitted.Add(s);
    }
    foreach (var m in SelMethods(t).OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.GetParameters().Length))
    {
        var sig = $"{N(m.ReturnType)} {m.Name}{Generics(m)}({Params(m)}){Constraints(m.GetGenericArguments())}";
        if (t.IsInterface) sb.AppendLine($"{mi}{sig};");
        else { var mm = MethodMods(m, t); sb.AppendLine($"{mi}{mm}{sig}{(mm.Contains("abstract") ? ";" : $" => {Throw};")}"); emitted.Add(m); }
    }
    if (!t.IsInterface)
    {
        // explicit implementations of the selected interface members that the class does not declare publicly above
        foreach (var i in ifaces)
        {
            var map = t.GetInterfaceMap(i);
            var idef = i.IsGenericType ? i.GetGenericTypeDefinition() : i;
            for (int k = 0; k < map.InterfaceMethods.Length; k++)
            {
                var im = map.InterfaceMethods[k];
                var defm = idef.GetMethods(F).FirstOrDefault(x => x.MetadataToken == im.MetadataToken);
                if (im.IsSpecialName || defm == null || !Wanted(idef, defm)) continue;
                var target = map.TargetMethods[k];
                if (emitted.Any(e => e.Name == target.Name && e.MetadataToken == target.MetadataToken && e.Module == target.Module)) continue;
                sb.AppendLine($"{mi}{N(im.ReturnType)} {N(i)}.{im.Name}({Params(im)}) => {Throw};");
            }
        }
    }
    foreach (var nt in sel.Keys.Where(x => x.IsNested && x.DeclaringType == t)) EmitType(sb, nt, mi);
    sb.AppendLine(ind + "}");
}
string BaseCall(Type t)
{
    if (t.BaseType == null || !InFm(t.BaseType)) return "";
    var bc = t.BaseType.GetConstructors(F).Where(c => Visible(c) && Wanted(t.BaseType, c)).OrderBy(c => c.GetParameters().Length).FirstOrDefault();
    if (bc == null || bc.GetParameters().Length == 0) return "";
    return " : base(" + string.Join(", ", bc.GetParameters().Select(p => "default(" + N(p.ParameterType) + ")")) + ")";
}
static class X { public static IList<CustomAttributeData> CustomAttributesData(this Type t) => t.GetCustomAttributesData(); }
