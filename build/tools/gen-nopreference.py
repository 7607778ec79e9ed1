#!/usr/bin/env python3
"""Generates build/NopReference/<Assembly>/**.cs from build/NopReference/api-selection.txt.

The selection holds lines copied verbatim from nopCommerce 4.90's API surface (shared/nopcommerce/api-4.90.txt):
`Full.Type.Name | kind | signature`. Every generated file mirrors one nopCommerce source file (named in its header)
and declares only the selected members, without behaviour (auto-properties, `throw new NotSupportedException()`).
Usage: python3 build/tools/gen-nopreference.py [--types ../shared/nopcommerce/api-4.90.types.txt]
"""
import os, re, sys, shutil, collections

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REF = os.path.join(ROOT, "build", "NopReference")
SEL = os.path.join(REF, "api-selection.txt")
TYPES = os.path.join(ROOT, "..", "shared", "nopcommerce", "api-4.90.types.txt")
if "--types" in sys.argv:
    TYPES = sys.argv[sys.argv.index("--types") + 1]

ASSEMBLIES = ["Nop.Core", "Nop.Data", "Nop.Services", "Nop.Web.Framework"]
DEPS = {"Nop.Core": [], "Nop.Data": ["Nop.Core"], "Nop.Services": ["Nop.Core", "Nop.Data"],
        "Nop.Web.Framework": ["Nop.Core", "Nop.Data", "Nop.Services"]}
# Usings that every file of an assembly gets (BCL, ASP.NET Core and the packages nopCommerce builds on).
EXTERNAL_USINGS = {
    "Nop.Core": ["System", "System.Collections.Generic", "System.Linq", "System.Linq.Expressions", "System.Threading",
                 "System.Threading.Tasks", "System.ComponentModel", "Microsoft.AspNetCore.Http",
                 "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder"],
    "Nop.Data": ["FluentMigrator", "FluentMigrator.Builders.Create", "FluentMigrator.Builders.Create.Table"],
    "Nop.Services": [],
    "Nop.Web.Framework": ["Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Mvc.Filters", "Microsoft.AspNetCore.Mvc.ViewComponents",
                          "Microsoft.AspNetCore.Mvc.Rendering", "Microsoft.AspNetCore.Mvc.ViewFeatures",
                          "Microsoft.AspNetCore.Mvc.Razor", "Microsoft.AspNetCore.Mvc.Razor.TagHelpers", "Microsoft.AspNetCore.Html", "Microsoft.AspNetCore.Razor.TagHelpers",
                          "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Primitives", "FluentValidation",
                          "Microsoft.AspNetCore.Mvc.ModelBinding"],
}
# Base types outside nopCommerce that a selected type may derive from.
EXTERNAL_BASES = {"ViewComponent", "Controller", "TypeFilterAttribute", "DisplayNameAttribute", "AbstractValidator",
                  "MigrationAttribute", "List", "Exception", "Attribute", "IComparable", "AutoReversingMigration",
                  "Migration", "RazorPage", "TagHelper", "IEquatable", "ActionFilterAttribute", "UrlResolutionTagHelper"}
# Base constructor calls for bases without a parameterless constructor.
BASE_CTOR = {"TypeFilterAttribute": ": base(typeof(object))", "MigrationAttribute": ": base(0)", "UrlResolutionTagHelper": ": base(null, null)"}
# Interfaces the plugin implements: declared complete. Every other interface is one the plugin only calls (and tests mock).
IMPLEMENTED = {"Nop.Services.Plugins.IPlugin", "Nop.Services.Payments.IPaymentMethod", "Nop.Services.Cms.IWidgetPlugin",
               "Nop.Services.Events.IConsumer", "Nop.Core.Infrastructure.INopStartup", "Nop.Web.Framework.Mvc.Routing.IRouteProvider",
               "Nop.Services.ScheduleTasks.IScheduleTask", "Nop.Core.Configuration.ISettings", "Nop.Data.Mapping.IEntityBuilder",
               "Nop.Services.Security.IPermissionConfigManager"}
# Members that hide an inherited member in nopCommerce (declared with `new` there). Their declarations call the member
# they hide (ASP.NET Core's, not nopCommerce's), so that a host without nopCommerce can render a plugin's view component;
# what nopCommerce adds (NopViewComponent.View publishes ModelPrepared first) is not reproduced.
HIDES = {("Nop.Web.Framework.Components.NopViewComponent", "View")}

def strip_generics(n):
    return re.sub(r"<.*", "", n)

def read_types():
    t = {}
    for line in open(TYPES, encoding="utf-8"):
        if line.startswith("#") or "|" not in line:
            continue
        name, path = [p.strip() for p in line.split("|", 1)]
        t[strip_generics(name)] = (name, path)
    return t

def split_line(line):
    parts = line.rstrip("\n").split(" | ", 2)
    if len(parts) == 2:
        parts.append("")
    name, kind, sig = parts
    if kind.endswith(" |"):
        kind = kind[:-2]
    return name.strip(), kind.strip(), sig.strip()

def main():
    types = read_types()
    sel = [l for l in open(SEL, encoding="utf-8") if l.strip() and not l.startswith("#")]
    decls = collections.OrderedDict()   # type name (as written) -> {"kind","sig","members":[],"attrs":[]}
    for line in sel:
        name, kind, sig = split_line(line)
        d = decls.setdefault(name, {"kind": None, "sig": "", "members": [], "attrs": []})
        if kind in ("class", "interface", "enum", "record", "struct", "record struct", "delegate"):
            d["kind"], d["sig"] = kind, sig
        elif kind == "attribute":
            d["attrs"].append(sig)
        else:
            d["members"].append((kind, sig))
    known_simple = {strip_generics(n).split(".")[-1] for n in decls}
    base_names = {strip_generics(n) for n in decls}

    def is_nested(n):
        b = strip_generics(n)
        parent = b.rsplit(".", 1)[0]
        return parent in types or parent in base_names

    def outer_of(n):
        b = strip_generics(n)
        parts = b.split(".")
        for i in range(1, len(parts) + 1):
            if ".".join(parts[:i]) in types:
                return ".".join(parts[:i])
        return b

    for n, d in decls.items():
        if d["kind"] is None:
            sys.exit(f"no type line selected for {n}")
    files = collections.defaultdict(list)  # path -> top-level type names
    for n in decls:
        if is_nested(n):
            continue
        b = strip_generics(n)
        if b not in types:
            sys.exit(f"type {n} is not in the types file")
        files[types[b][1]].append(n)
    children = collections.defaultdict(list)
    for n in decls:
        if is_nested(n):
            children[strip_generics(n).rsplit(".", 1)[0]].append(n)

    for asm in ASSEMBLIES:
        d = os.path.join(REF, asm)
        for entry in os.listdir(d) if os.path.isdir(d) else []:
            p = os.path.join(d, entry)
            if os.path.isdir(p) and entry not in ("bin", "obj"):
                shutil.rmtree(p)
            elif entry.endswith(".cs"):
                os.remove(p)

    namespaces = collections.defaultdict(set)
    def ns_of(n):
        return outer_of(n).rsplit(".", 1)[0]
    def asm_of_path(path):
        for a in ASSEMBLIES:
            if f"/{a}/" in path:
                return a
        sys.exit(f"no assembly for {path}")
    for path, names in files.items():
        for n in names:
            namespaces[asm_of_path(path)].add(ns_of(n))

    def filter_bases(sig, self_name):
        # sig like "abstract : A, B<C> where T : X"
        wm = re.search(r"(^|\s)where\s", sig)
        where = sig[wm.start():].strip() if wm else ""
        rest = sig[:wm.start()] if wm else sig
        mods, _, bases = rest.partition(":")
        mods, bases = mods.strip(), bases.strip() or None
        kept = []
        if bases:
            depth, cur, items = 0, "", []
            for ch in bases:
                if ch == "<": depth += 1
                if ch == ">": depth -= 1
                if ch == "," and depth == 0:
                    items.append(cur.strip()); cur = ""
                else:
                    cur += ch
            if cur.strip(): items.append(cur.strip())
            for it in items:
                simple = strip_generics(it).split(".")[-1]
                if simple in known_simple or simple in EXTERNAL_BASES:
                    kept.append(it)
        return mods, kept, where

    def member_code(tname, tkind, is_abstract_type, kind, sig, simple_type, base_call):
        ind = "    "
        is_iface = tkind == "interface"
        if kind == "enum-member":
            return f"{sig},"
        if kind == "ctor":
            s = sig.replace(".ctor", simple_type, 1)
            if not s.startswith("protected") and not s.startswith("private"):
                s = "public " + s
            return f"{s} {base_call}{{ }}".replace("  ", " ")
        if kind in ("const", "field"):
            pre = "" if is_iface else ("" if sig.startswith("protected") else "public ")
            return f"{pre}{sig};"
        if kind in ("property", "indexer"):
            if is_iface:
                s = re.sub(r"^virtual ", "", sig)
                return s
            pre = "" if sig.startswith("protected") else "public "
            if re.search(r"\} = ", sig):
                return pre + sig + ";"
            if kind == "indexer" and "abstract" not in sig:
                s = re.sub(r"\{ get; set; \}$", "{ get => throw new NotSupportedException(); set => throw new NotSupportedException(); }", sig)
                s = re.sub(r"\{ get; \}$", "{ get => throw new NotSupportedException(); }", s)
                return pre + s
            return pre + sig
        if kind == "method":
            # a parameter named like a C# keyword (IEventPublisher's `TEvent event`) needs the verbatim prefix
            sig = re.sub(r"([(,] *[\w.<>\[\]?]+) (event|object|string|class|base|operator)(?=[,)= ])", r"\1 @\2", sig)
            name = re.search(r"(\w+)\s*(<[^()]*>)?\s*\(", sig).group(1)
            new = "new " if (tname, name) in HIDES else ""
            if is_iface:
                if sig.startswith("virtual "):
                    return re.sub(r"^virtual ", "", sig) + " => throw new NotSupportedException();"
                return sig + ";"
            pre = "" if sig.startswith("protected") else "public "
            if sig.startswith("protected "):
                pre, sig2 = "protected ", sig[len("protected "):]
            else:
                sig2 = sig
            if re.search(r"\babstract\b", sig2):
                return f"{pre}{new}{sig2};"
            if new:
                params = re.search(r"\((.*)\)\s*$", sig2).group(1)
                args = ", ".join(p.split("=")[0].split()[-1] for p in params.split(",") if p.strip())
                return f"{pre}{new}{sig2} => base.{name}({args});"
            return f"{pre}{new}{sig2} => throw new NotSupportedException();"
        if kind == "event":
            pre = "" if is_iface else "public "
            return f"{pre}{sig};"
        if kind == "operator":
            return f"public {sig} => throw new NotSupportedException();"
        sys.exit(f"unhandled member kind {kind} on {tname}")

    def type_code(n, indent):
        d = decls[n]
        b = strip_generics(n)
        simple_generic = n[len(b.rsplit(".", 1)[0]) + 1:] if "." in b else n
        simple = strip_generics(simple_generic)
        kind = d["kind"]
        mods, bases, where = filter_bases(d["sig"], n)
        out = []
        for a in d["attrs"]:
            if re.match(r"^\[(AttributeUsage|Area)\b", a):
                out.append(a)
        mod_words = mods.split()
        access = "protected" if "protected" in mod_words else "public"
        mod_words = [w for w in mod_words if w not in ("protected", "public")]
        if kind == "delegate":
            out.append(f"{access} delegate {d['sig']};")
            return "\n".join(indent + l for l in out)
        kw = {"record struct": "record struct"}.get(kind, kind)
        head = " ".join([access] + mod_words + ([] if kind == "delegate" else ["partial"] if kind in ("class", "record", "struct", "interface") else []) + [kw, simple_generic])
        head = head.replace("partial", "").replace("  ", " ")
        if bases:
            head += " : " + ", ".join(bases)
        if where:
            head += " " + where
        if kind == "interface" and b not in IMPLEMENTED:
            out.append("// nop-api-check: consume-only")
        out.append(head)
        out.append("{")
        is_abstract = "abstract" in mod_words
        base_call = ""
        for bb in bases:
            sb = strip_generics(bb).split(".")[-1]
            if sb in BASE_CTOR:
                base_call = BASE_CTOR[sb] + " "
        members = d["members"]
        has_ctor = any(k == "ctor" for k, _ in members)
        if kind in ("class", "record") and not has_ctor and "static" not in mod_words:
            out.append(f"    private {simple}() {base_call}{{ }}".replace("  {", " {"))
        # member attributes: "[X(...)] <member signature>"
        mattrs = collections.defaultdict(list)
        for a in d["attrs"]:
            m = re.match(r"^(\[[^\]]*\])\s+(.+)$", a)
            if m:
                mattrs[m.group(2)].append(m.group(1))
        for k, s in members:
            code = member_code(b, kind, is_abstract, k, s, simple, base_call)
            for a in mattrs.get(s, []):
                if re.match(r"^\[(HtmlAttributeName|NopResourceDisplayName|HttpPost|HttpGet)\b", a):
                    out.append("    " + a)
            out.append("    " + code)
        for c in children.get(b, []):
            out.append(type_code(c, "    "))
        out.append("}")
        return "\n".join(indent + l if l else l for l in "\n".join(out).split("\n"))

    for path, names in sorted(files.items()):
        asm = asm_of_path(path)
        rel = path.split(f"/{asm}/", 1)[1]
        target = os.path.join(REF, asm, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        by_ns = collections.defaultdict(list)
        for n in names:
            by_ns[ns_of(n)].append(n)
        lines = [f"// Reference declarations mirroring nopCommerce 4.90.3 {path}.",
                 "// Generated by build/tools/gen-nopreference.py from build/NopReference/api-selection.txt: edit the selection, not this file.",
                 "// No behaviour: nopCommerce supplies the real implementation at run time.", ""]
        for ns, ns_names in by_ns.items():
            lines.append(f"namespace {ns}")
            lines.append("{")
            for n in ns_names:
                lines.append(type_code(n, "    "))
                lines.append("")
            if lines[-1] == "": lines.pop()
            lines.append("}")
            lines.append("")
        open(target, "w", encoding="utf-8").write("\n".join(lines))

    for asm in ASSEMBLIES:
        #only this assembly's own usings: the projects that depend on it compile this file too (build/NopReference/Directory.Build.props)
        usings = (set(EXTERNAL_USINGS[asm]) | namespaces[asm]) - {u for dep in DEPS[asm] for u in set(EXTERNAL_USINGS[dep]) | namespaces[dep]}
        g = ["// Generated by build/tools/gen-nopreference.py. Also compiled by the reference projects that depend on " + asm + ".", ""] \
            + [f"global using {u};" for u in sorted(usings)]
        os.makedirs(os.path.join(REF, asm), exist_ok=True)
        open(os.path.join(REF, asm, "GlobalUsings.cs"), "w", encoding="utf-8").write("\n".join(g) + "\n")
    print(f"generated {sum(len(v) for v in files.values())} top-level types in {len(files)} files")

main()
