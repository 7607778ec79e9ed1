using Nop.Web.Framework.Models;

namespace Nop.Plugin.Payments.Klarna.Models.Public;

/// <summary>
/// Represents the scripts the checkout pages load for Klarna's widget
/// </summary>
public record KlarnaCheckoutScriptsModel : BaseNopModel
{
    /// <summary>
    /// Gets or sets the address of Klarna's browser library
    /// </summary>
    public string LibraryUrl { get; set; }

    /// <summary>
    /// Gets or sets the address of the plugin's checkout script
    /// </summary>
    public string ScriptUrl { get; set; }
}
