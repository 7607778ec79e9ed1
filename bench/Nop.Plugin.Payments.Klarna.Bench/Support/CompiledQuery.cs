using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Nop.Plugin.Payments.Klarna.Bench.Support;

/// <summary>
/// Runs a LINQ query written against an in-memory IQueryable like a database provider with a query cache would: the
/// query's shape is compiled once (constants become parameters) and reused, instead of LINQ-to-objects' EnumerableQuery
/// compiling the expression on every execution (milliseconds per read on a loaded machine, which would be the fake's cost,
/// not the plugin's)
/// </summary>
public static class CompiledQuery<T>
{
    private static readonly ConcurrentDictionary<string, Func<IEnumerable<T>, object[], IEnumerable<T>>> _cache = new();

    public static IEnumerable<T> Run(IQueryable<T> query, object source, IEnumerable<T> rows)
    {
        var rewriter = new Rewriter(source);
        var body = rewriter.Visit(query.Expression);
        var compiled = _cache.GetOrAdd(body.ToString(), _ =>
            Expression.Lambda<Func<IEnumerable<T>, object[], IEnumerable<T>>>(Expression.Convert(body, typeof(IEnumerable<T>)), rewriter.Source, rewriter.Values).Compile());
        return compiled(rows, rewriter.Constants.ToArray());
    }

    private sealed class Rewriter : ExpressionVisitor
    {
        private readonly object _source;

        public Rewriter(object source) => _source = source;

        public ParameterExpression Source { get; } = Expression.Parameter(typeof(IEnumerable<T>), "rows");

        public ParameterExpression Values { get; } = Expression.Parameter(typeof(object[]), "values");

        public List<object> Constants { get; } = new();

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (ReferenceEquals(node.Value, _source))
                return Source;

            Constants.Add(node.Value);
            return Expression.Convert(Expression.ArrayIndex(Values, Expression.Constant(Constants.Count - 1)), node.Type);
        }

        protected override Expression VisitUnary(UnaryExpression node) =>
            node.NodeType == ExpressionType.Quote ? Visit(node.Operand) : base.VisitUnary(node);

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(Queryable))
                return base.VisitMethodCall(node);

            var arguments = node.Arguments.Select(Visit).ToArray();
            var generic = node.Method.GetGenericArguments();
            var method = typeof(Enumerable).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.Name == node.Method.Name && m.GetParameters().Length == arguments.Length && m.GetGenericArguments().Length == generic.Length)
                .Select(m => generic.Length > 0 ? m.MakeGenericMethod(generic) : m)
                .First(m => m.GetParameters().Select((p, i) => p.ParameterType.IsAssignableFrom(arguments[i].Type)).All(ok => ok));
            return Expression.Call(method, arguments);
        }
    }
}
