/** A labelled search box. */
export function SearchField(props: {
  label: string;
  ariaLabel: string;
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="field">
      <span className="field__label">{props.label}</span>
      <input
        type="search"
        value={props.value}
        placeholder={props.placeholder}
        onChange={(event) => props.onChange(event.target.value)}
        aria-label={props.ariaLabel}
      />
    </label>
  );
}

/** A labelled drop-down over a fixed set of values, each with the text shown for it. */
export function SelectField<T extends string>(props: {
  label: string;
  ariaLabel: string;
  value: T;
  options: Record<T, string>;
  onChange: (value: T) => void;
}) {
  return (
    <label className="field">
      <span className="field__label">{props.label}</span>
      <select
        value={props.value}
        onChange={(event) => props.onChange(event.target.value as T)}
        aria-label={props.ariaLabel}
      >
        {(Object.entries(props.options) as [T, string][]).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
