(minimum) => {
            const parse = (value) => {
                const m = value.match(/rgba?\(([^)]+)\)/);
                if (!m) return null;
                const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
                return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
            };
            const luminance = ({r, g, b}) => {
                const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
            };
            const background = (element) => {
                for (let node = element; node; node = node.parentElement) {
                    const colour = parse(getComputedStyle(node).backgroundColor);
                    if (colour && colour.a > 0.5) return colour;
                }
                return parse(getComputedStyle(document.documentElement).backgroundColor)
                    || {r: 255, g: 255, b: 255, a: 1};
            };
            const failures = [];
            const buttons = document.querySelectorAll("button, .button, [role=button], input[type=submit]");
            for (const button of buttons) {
                if (!button.offsetParent && getComputedStyle(button).position !== "fixed") continue;
                const parts = [button, ...button.querySelectorAll("*")];
                for (const part of parts) {
                    const hasText = [...part.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
                        || (part.tagName === "INPUT" && part.value);
                    if (!hasText) continue;
                    const fg = parse(getComputedStyle(part).color);
                    const bg = background(part);
                    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
                    const ratio = (hi + 0.05) / (lo + 0.05);
                    if (ratio < minimum) {
                        const label = (part.textContent || part.value || "").trim().slice(0, 40);
                        failures.push(`${button.className || button.tagName} "${label}": ${ratio.toFixed(2)}:1`);
                    }
                }
            }
            return failures;
        }
